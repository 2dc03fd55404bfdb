/** Volumes that follow the pod between workers: their archive format and their store (docs/design.md §9). */
export { HostileArchive, LinkLeavesVolume, packVolume, unpackVolume, volumeBytes } from './archive.js';
export { s3Store, s3Stores, type VolumeStore } from './store.js';
