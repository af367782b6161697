// Notifications' contracts. Vocabulary: a notification is one row of the outbox, addressed to one account; its
// kind names the change (auth.otp, application.submitted, case.<action>, …) and fixes its payload's shape.
export * from './notifications.ts';
