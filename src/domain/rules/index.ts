export * from './marketRules.js';
export * from './ruleTables.js';
export { parseScaled } from './ruleValues.js';
export { buildDatedIndex, type DatedIndex, type DatedRow } from './datedIndex.js';
export { checkMarketRuleTables } from './checkRuleTables.js';
export { createMarketRules } from './createMarketRules.js';
export { defaultAccountFees } from './feeRules.js';
export { isValidLotQty } from './orderQty.js';
export * from './barAdmission.js';
