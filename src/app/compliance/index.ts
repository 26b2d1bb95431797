export { exportJournalSlice, verifyExportFile, type ExportSummary, type ExportVerdict } from './exportSlice.js';
export { auditJournal, type AuditMismatch, type AuditReport } from './audit.js';
