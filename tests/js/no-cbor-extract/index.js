// cbor-x loads this inside a try block and falls back to its JS decoder when it throws.
throw new Error("no native CBOR decoder: cbor-x decodes in JS");
