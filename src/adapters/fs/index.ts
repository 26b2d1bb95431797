export { ensureFolder, writeFileAtomic, writeFilesAtomically, type FileToWrite } from './atomicFiles.js';
export { describeWriteFailure, errorCodeOf, isStorageError, probeWritable, type FsFailure, type FsFailureKind } from './fsFailure.js';
