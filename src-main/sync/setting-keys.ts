/** Keys of the settings snapshot the tracker keeps between runs. */
export const TEMPLATE_SETTING = 'layout-template';
/** The selection and layout the stored change-feed tokens were taken with. */
export const FINGERPRINT_SETTING = 'listing-fingerprint';
