/** Shared by the functions that emit metrics and the stack whose alarms select them. */
export const SERVICE = 'paperboy';
export const METRICS_NAMESPACE = 'Paperboy';
