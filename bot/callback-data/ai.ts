import { defineCallbackData, int } from './codec.js';

export const leadAnalyzeData = defineCallbackData('ai1', { leadId: int });
