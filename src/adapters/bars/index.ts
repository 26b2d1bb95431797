export * from './barCsv.js';
export * from './dividendCsv.js';
export { parseDecimalUnits, parseWholeNumber, formatUnits } from './decimalField.js';
