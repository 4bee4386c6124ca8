import { REPORT_KINDS, REPORT_PERIODS } from '../../core/index.js';
import { defineCallbackData, oneOf } from './codec.js';

/** A report over a period (§14): drawn as a photo, or redrawn in place on the photo's period buttons. */
export const reportShowData = defineCallbackData('rs1', { kind: oneOf(REPORT_KINDS), period: oneOf(REPORT_PERIODS) });
/** 📄 CSV of the report on the photo. */
export const reportCsvData = defineCallbackData('rc1', { kind: oneOf(REPORT_KINDS), period: oneOf(REPORT_PERIODS) });
/** /mystats over another period. */
export const myStatsData = defineCallbackData('ms1', { period: oneOf(REPORT_PERIODS) });
