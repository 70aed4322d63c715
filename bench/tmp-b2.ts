import { benchLlmBatch } from './grading.js';
console.log((await benchLlmBatch()).line);
console.log((await benchLlmBatch()).line);
