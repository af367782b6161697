// Identity's contracts. Vocabulary: an account is a person, an enterprise or a staff member; a session acts for
// someone (the account itself, an enterprise it is an agent (经办人) of, or a person under a proxy (帮办代办));
// roles hold permissions, and a permission's scope says what it reaches.
export * from './identity.ts';
export * from './errors.ts';
