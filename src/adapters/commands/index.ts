export * from './channelKey.js';
export * from './commandChannel.js';
export * from './heartbeatFile.js';
