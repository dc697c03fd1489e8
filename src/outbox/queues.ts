export const NOTIFICATIONS_QUEUE = 'notifications';
export const QUEUE_NAMES = [NOTIFICATIONS_QUEUE];
