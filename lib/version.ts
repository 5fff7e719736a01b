/** The API version reported by /status and the OpenAPI document. */
export const VERSION = "0.1.0";
