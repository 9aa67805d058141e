import type { RouteHandler, SimContext } from './types.js';

export interface PhotosOptions {
  seed: number;
  assets: number;
  sharedAssets: number;
  ownerDsid: string;
}

export interface PhotosWiring {
  library: unknown;
  cloudkit: RouteHandler | undefined;
  content: RouteHandler | undefined;
}

/**
 * Loads the photo library, CloudKit and download handlers (built in library/, cloudkit/, content/).
 * While a part is missing the simulator still serves sign-in, so auth can be tested on its own.
 */
/** Only a module that is not there yet is skipped; a broken one still fails loudly. */
async function importIfPresent(path: string): Promise<Record<string, unknown> | undefined> {
  try {
    return (await import(path)) as Record<string, unknown>;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ERR_MODULE_NOT_FOUND' && String((err as Error).message).includes(path.slice(2, -3))) return undefined;
    throw err;
  }
}

export async function loadPhotos(options: PhotosOptions, ctx: SimContext): Promise<PhotosWiring> {
  // Specifiers in variables: these modules may not exist yet in a given checkout.
  const libraryPath = './library/index.js';
  const cloudkitPath = './cloudkit/index.js';
  const contentPath = './content/index.js';
  const libraryModule = await importIfPresent(libraryPath);
  if (!libraryModule) return { library: undefined, cloudkit: undefined, content: undefined };
  const library = (libraryModule.createSimLibrary as (o: PhotosOptions) => unknown)(options);
  const load = async (path: string, name: string): Promise<RouteHandler | undefined> => {
    const mod = await importIfPresent(path);
    const factory = mod?.[name] as ((lib: unknown, c: SimContext) => RouteHandler) | undefined;
    return factory?.(library, ctx);
  };
  return {
    library,
    cloudkit: await load(cloudkitPath, 'createCloudKitHandler'),
    content: await load(contentPath, 'createContentHandler'),
  };
}
