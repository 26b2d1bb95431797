export { exportJournalSlice, verifyExportFile, type ExportSummary, type ExportVerdict } from './exportSlice.js';
