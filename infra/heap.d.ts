/** Types of infra/heap.js (plain CommonJS, loaded by osls). */
export declare const SENDER_SEMI_SPACE_MB: number;
export declare function senderNodeOptions(memoryMb: number): string;
export declare function namesHeapFlags(options: unknown): boolean;
/** osls's variable source: `${file(infra/heap.js):SENDER_NODE_OPTIONS}`. */
declare function heapSource(options: {
  resolveVariable: (variable: string) => Promise<unknown>;
}): Promise<{ SENDER_NODE_OPTIONS: string }>;
export default heapSource;
