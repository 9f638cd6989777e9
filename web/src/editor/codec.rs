//! A scenario's text in a link: compressed by the browser's own
//! `CompressionStream("deflate-raw")` (no dependency in the wasm) and written
//! as base64url, in the hash as `scn=<code>`. Decoding is the same way back
//! (`DecompressionStream`). Both are asynchronous, as the streams are.
//! A link is untrusted: decoding never panics, caps the text it inflates,
//! and says what went wrong.

use js_sys::{Array, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, ReadableStream, ReadableWritablePair, Response, WritableStream};

use replilab_core::scenario::Limit;

#[wasm_bindgen]
extern "C" {
    // web-sys has these only behind `web_sys_unstable_apis`.
    type CompressionStream;
    #[wasm_bindgen(constructor, catch)]
    fn new(format: &str) -> Result<CompressionStream, JsValue>;
    #[wasm_bindgen(method, getter)]
    fn readable(this: &CompressionStream) -> ReadableStream;
    #[wasm_bindgen(method, getter)]
    fn writable(this: &CompressionStream) -> WritableStream;

    type DecompressionStream;
    #[wasm_bindgen(constructor, catch)]
    fn new(format: &str) -> Result<DecompressionStream, JsValue>;
    #[wasm_bindgen(method, getter)]
    fn readable(this: &DecompressionStream) -> ReadableStream;
    #[wasm_bindgen(method, getter)]
    fn writable(this: &DecompressionStream) -> WritableStream;
}

/// The longest `scn=` code a link may carry (characters), so a hostile link
/// cannot make the tab inflate gigabytes: about 4× the largest lesson.
pub const MAX_CODE: usize = 100_000;

/// The text, compressed and in base64url.
pub async fn encode(text: &str) -> Result<String, String> {
    let stream = CompressionStream::new("deflate-raw").map_err(js_err)?;
    let pair = ReadableWritablePair::new(&stream.readable(), &stream.writable());
    let bytes = pipe(text.as_bytes(), &pair).await?;
    Ok(base64url(&bytes))
}

/// The text a `scn=` code carries.
pub async fn decode(code: &str) -> Result<String, String> {
    if code.len() > MAX_CODE {
        return Err(format!("{} characters: at most {MAX_CODE}", code.len()));
    }
    let bytes = unbase64url(code)?;
    let stream = DecompressionStream::new("deflate-raw").map_err(js_err)?;
    let pair = ReadableWritablePair::new(&stream.readable(), &stream.writable());
    let text = pipe(&bytes, &pair).await?;
    if text.len() as u64 > Limit::Text.max() {
        return Err(format!(
            "{} bytes of text: at most {}",
            text.len(),
            Limit::Text.max()
        ));
    }
    String::from_utf8(text).map_err(|_| "not UTF-8 text".into())
}

/// `bytes` through a transform stream, all read back.
async fn pipe(bytes: &[u8], pair: &ReadableWritablePair) -> Result<Vec<u8>, String> {
    let parts = Array::of1(&Uint8Array::from(bytes));
    let blob = Blob::new_with_u8_array_sequence(&parts).map_err(js_err)?;
    let out = blob.stream().pipe_through(pair);
    let response = Response::new_with_opt_readable_stream(Some(&out)).map_err(js_err)?;
    let buf = JsFuture::from(response.array_buffer().map_err(js_err)?)
        .await
        .map_err(js_err)?;
    Ok(Uint8Array::new(&buf).to_vec())
}

fn js_err(e: JsValue) -> String {
    e.dyn_ref::<js_sys::Error>()
        .map_or_else(|| format!("{e:?}"), |e| String::from(e.message()))
}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// RFC 4648 §5, without padding (a few lines: the browser's `btoa` works on
/// "binary strings" that would cost as much code to build).
fn base64url(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i));
        for i in 0..=chunk.len() {
            out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
        }
    }
    out
}

fn unbase64url(code: &str) -> Result<Vec<u8>, String> {
    let mut out = Vec::with_capacity(code.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for (i, c) in code.bytes().enumerate() {
        let v = ALPHABET
            .iter()
            .position(|&a| a == c)
            .ok_or_else(|| format!("character {} is not base64url", i + 1))?;
        acc = acc << 6 | v as u32;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64url_round_trips() {
        for n in 0..40usize {
            let bytes: Vec<u8> = (0..n).map(|i| (i * 37 + n) as u8).collect();
            assert_eq!(unbase64url(&base64url(&bytes)).unwrap(), bytes);
        }
        assert_eq!(base64url(b"\xfb\xff"), "-_8");
        assert!(unbase64url("ab+c").is_err());
    }

    /// A link is untrusted: any text decodes or fails, never panics; any
    /// bytes survive the round trip (a seeded xorshift, 20,000 cases).
    #[test]
    fn any_code_decodes_or_fails_without_panic() {
        let mut x = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        for _ in 0..20_000 {
            let n = (next() % 64) as usize;
            let bytes: Vec<u8> = (0..n).map(|_| next() as u8).collect();
            assert_eq!(unbase64url(&base64url(&bytes)).unwrap(), bytes);
            let text: String = (0..n)
                .map(|_| {
                    char::from(ALPHABET[(next() % 64) as usize])
                        .max(char::from((next() % 128) as u8))
                })
                .collect();
            let _ = unbase64url(&text);
        }
    }
}
