export * from './calendarFile.js';
