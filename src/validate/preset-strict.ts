import { strictPreset } from './preset.js';

export default strictPreset;
