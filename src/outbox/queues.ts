export const NOTIFICATIONS_QUEUE = 'notifications';
export const DEADLINES_QUEUE = 'deadlines';
export const QUEUE_NAMES = [NOTIFICATIONS_QUEUE, DEADLINES_QUEUE];
