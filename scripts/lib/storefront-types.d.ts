export declare const STOREFRONT_DOCUMENT: string;
export declare const STOREFRONT_TYPES: string;
export declare function storefrontTypes(root: string): Promise<string>;
