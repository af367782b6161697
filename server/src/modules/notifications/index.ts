// Notifications: the outbox every change writes into, in its own transaction; delivery channels (SMS, app
// push, the 12345 hotline) read it in a later issue. Applicants read their inbox here.
export { insertNotification as notify, notificationPart, type NewNotification } from './notifications.repository.ts';
export { notificationRoutes } from './notifications.routes.ts';
