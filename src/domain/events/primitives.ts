import { z } from 'zod';
import { isTradingDayString } from '../tradingDay.js';

/** zod building blocks shared by the event schemas; integer units as declared in money.ts. */
export const zDay = z.string().refine(isTradingDayString, { message: 'expected a date YYYY-MM-DD' });
export const zSymbol = z.string().regex(/^\d{6}\.(SH|SZ|BJ)$/, 'expected a suffixed code like 600519.SH');
export const zFen = z.number().int();
export const zPriceMilli = z.number().int().positive();
export const zShares = z.number().int().nonnegative();
export const zSide = z.enum(['buy', 'sell']);
export const zHash = z.string().regex(/^[0-9a-f]{64}$/);
export const zId = z.string().min(1).max(128);
export type Side = z.infer<typeof zSide>;
