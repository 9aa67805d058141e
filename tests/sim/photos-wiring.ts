import type { RouteHandler, SimContext } from './types.js';
import { createSimLibrary, type SimLibrary, type SimLibraryOptions } from './library/index.js';

export interface PhotosWiring {
  library: SimLibrary;
  cloudkit: RouteHandler | undefined;
  content: RouteHandler | undefined;
}

type HandlerFactory = (library: SimLibrary, ctx: SimContext) => RouteHandler;

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

/**
 * Builds the photo library and loads the CloudKit and download handlers (cloudkit/, content/).
 * While a handler is missing the simulator still serves sign-in, so auth can be tested on its own.
 */
export async function loadPhotos(options: SimLibraryOptions, ctx: SimContext): Promise<PhotosWiring> {
  const library = createSimLibrary(options);
  // Specifiers in variables: these modules may not exist yet in a given checkout.
  const load = async (path: string, name: string): Promise<RouteHandler | undefined> => {
    const factory = (await importIfPresent(path))?.[name] as HandlerFactory | undefined;
    return factory?.(library, ctx);
  };
  return {
    library,
    cloudkit: await load('./cloudkit/index.js', 'createCloudKitHandler'),
    content: await load('./content/index.js', 'createContentHandler'),
  };
}
