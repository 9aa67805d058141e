/** Keys of the settings snapshot the tracker keeps between runs. */
export const TEMPLATE_SETTING = 'layout-template';
/** The selection and layout the stored change-feed tokens were taken with. */
export const FINGERPRINT_SETTING = 'listing-fingerprint';
/** The run that last stored the change-feed position (it may have ended partial: files to retry). */
export const POSITION_RUN_SETTING = 'position-run';
