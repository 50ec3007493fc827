export declare const forbidden: 'this module may not be imported from a pure layer';
