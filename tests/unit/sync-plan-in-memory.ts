import type { ICloudAsset } from '../../src-main/icloud/photos/asset.js';
import { AssetStage } from '../../src-main/sync/asset-stage.js';
import type { PlanAction, SyncPlan } from '../../src-main/sync/plan-types.js';
import { planStaged, wantedBy, type PlanContext } from '../../src-main/sync/planner.js';

export interface PlanInput extends PlanContext {
  /** What the listing returned (whole library, or only what changed). */
  assets: ReadonlyArray<ICloudAsset>;
}

/** Plans a listing held in memory exactly as a run does: stage it (in the temp folder), then planStaged. */
export function planSync(input: PlanInput): SyncPlan {
  const stage = AssetStage.open();
  try {
    stage.add(input.assets, wantedBy(input.options, input.albumsOf));
    const actions: PlanAction[] = [];
    const counts = planStaged(stage, input, (action) => actions.push(action));
    return { actions, counts };
  } finally {
    stage.close();
  }
}
