export {
  JournalSliceSchema, makeSlice, SLICE_FORMAT, sliceDigest, verifySlice,
  type JournalSlice, type SliceEvent, type SliceVerdict,
} from './journalSlice.js';
