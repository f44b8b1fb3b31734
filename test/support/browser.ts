export { launchChromium } from '../../scripts/local/browser.ts';
