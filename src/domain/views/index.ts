export * from './portfolioView.js';
