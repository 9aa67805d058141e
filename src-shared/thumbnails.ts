/** A recent arrival's thumbnail as every bridge hands it to a view: the image, or why there is none. */
export type ThumbnailReply =
  | { available: true; contentType: 'image/jpeg' | 'image/png'; bytes: Uint8Array }
  | { available: false; message: string };

export const THUMBNAIL_NOT_AVAILABLE = 'No thumbnail for this item: it is not among the recent arrivals, or iCloud had none.';
