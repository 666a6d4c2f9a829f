// The run pages and the notebook's run bar (issue 10), registered as custom elements.
import './compare-page.ts';
import './history-page.ts';
import './run-bar.ts';
import './run-page.ts';
