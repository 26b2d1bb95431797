export * from './lockout.js';
export * from './password.js';
export * from './throttle.js';
export * from './totp.js';
export * from './usersFile.js';
