//! Encryption of everything personal stored on the device, with WebCrypto.
//!
//! - The **device key** is an AES-GCM key generated on the device as *non-extractable*: script can use it
//!   but never read it, so it cannot be copied off the tablet. It only wraps and unwraps data keys.
//! - Each user has a **data key** (AES-256-GCM) that encrypts that user's records. It is stored only
//!   wrapped (encrypted) by the device key; the shared-tablet issue adds a second wrapping by a key
//!   derived from the user's PIN. In memory it is unwrapped as non-extractable too.
//! - A sealed value is `iv (12 bytes) ‖ ciphertext+tag`, with the record's plaintext index fields as
//!   additional authenticated data, so an envelope's ciphertext cannot be moved to another record.

use js_sys::{Array, Object, Promise, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AesGcmParams, AesKeyGenParams, CryptoKey, SubtleCrypto};

const IV_BYTES: usize = 12;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CryptoError {
    /// No WebCrypto: the page is not in a secure context (HTTPS or localhost).
    Unavailable,
    /// The ciphertext was altered, belongs to another record, or the key is wrong.
    Rejected,
    /// The browser reported something else.
    Browser(String),
}

fn browser_error(error: JsValue) -> CryptoError {
    let name = js_sys::Reflect::get(&error, &"name".into()).ok().and_then(|n| n.as_string());
    match name.as_deref() {
        Some("OperationError") => CryptoError::Rejected,
        _ => CryptoError::Browser(name.unwrap_or_else(|| format!("{error:?}"))),
    }
}

fn subtle() -> Result<SubtleCrypto, CryptoError> {
    let crypto = web_sys::window().and_then(|w| w.crypto().ok()).ok_or(CryptoError::Unavailable)?;
    let subtle = crypto.subtle();
    if subtle.is_undefined() {
        return Err(CryptoError::Unavailable);
    }
    Ok(subtle)
}

async fn resolve(promise: Result<Promise, JsValue>) -> Result<JsValue, CryptoError> {
    JsFuture::from(promise.map_err(browser_error)?).await.map_err(browser_error)
}

fn usages(names: &[&str]) -> Array {
    names.iter().map(|n| JsValue::from_str(n)).collect()
}

pub fn random_bytes<const N: usize>() -> Result<[u8; N], CryptoError> {
    let crypto = web_sys::window().and_then(|w| w.crypto().ok()).ok_or(CryptoError::Unavailable)?;
    let mut bytes = [0u8; N];
    crypto.get_random_values_with_u8_array(&mut bytes).map_err(browser_error)?;
    Ok(bytes)
}

fn aes_gcm(iv: &[u8], additional_data: &[u8]) -> AesGcmParams {
    let params = AesGcmParams::new_with_u8_array("AES-GCM", &Uint8Array::from(iv));
    params.set_additional_data_u8_array(&Uint8Array::from(additional_data));
    params
}

/// Generates the device key: non-extractable, for wrapping data keys only.
pub async fn generate_device_key() -> Result<CryptoKey, CryptoError> {
    let algorithm = AesKeyGenParams::new("AES-GCM", 256);
    let key =
        resolve(subtle()?.generate_key_with_object(&algorithm, false, &usages(&["wrapKey", "unwrapKey"])))
            .await?;
    Ok(key.unchecked_into())
}

/// A user's data key, usable for encryption but not readable.
#[derive(Clone)]
pub struct DataKey(CryptoKey);

impl DataKey {
    /// Makes a new data key and returns it with its wrapped form (to store) under `device_key`.
    pub async fn generate(device_key: &CryptoKey) -> Result<(DataKey, Vec<u8>), CryptoError> {
        let subtle = subtle()?;
        let algorithm = AesKeyGenParams::new("AES-GCM", 256);
        // Extractable only for the moment it takes to wrap it; the copy in use is unwrapped again below.
        let fresh: CryptoKey =
            resolve(subtle.generate_key_with_object(&algorithm, true, &usages(&["encrypt"])))
                .await?
                .unchecked_into();
        let iv = random_bytes::<IV_BYTES>()?;
        let wrapped =
            resolve(subtle.wrap_key_with_object("raw", &fresh, device_key, &aes_gcm(&iv, b"data-key")))
                .await?;
        let mut sealed = iv.to_vec();
        sealed.extend(Uint8Array::new(&wrapped).to_vec());
        let key = DataKey::unwrap(device_key, &sealed).await?;
        Ok((key, sealed))
    }

    /// Unwraps a stored data key with the device key.
    pub async fn unwrap(device_key: &CryptoKey, sealed: &[u8]) -> Result<DataKey, CryptoError> {
        if sealed.len() <= IV_BYTES {
            return Err(CryptoError::Rejected);
        }
        let (iv, wrapped) = sealed.split_at(IV_BYTES);
        let key_algorithm = Object::from(AesKeyGenParams::new("AES-GCM", 256));
        let key = resolve(subtle()?.unwrap_key_with_u8_array_and_object_and_object(
            "raw",
            wrapped,
            device_key,
            &aes_gcm(iv, b"data-key"),
            &key_algorithm,
            false,
            &usages(&["encrypt", "decrypt"]),
        ))
        .await?;
        Ok(DataKey(key.unchecked_into()))
    }

    /// Encrypts `plaintext`, bound to `context` (the envelope's plaintext fields).
    pub async fn seal(&self, plaintext: &[u8], context: &[u8]) -> Result<Vec<u8>, CryptoError> {
        let iv = random_bytes::<IV_BYTES>()?;
        let ciphertext =
            resolve(subtle()?.encrypt_with_object_and_u8_array(&aes_gcm(&iv, context), &self.0, plaintext))
                .await?;
        let mut sealed = iv.to_vec();
        sealed.extend(Uint8Array::new(&ciphertext).to_vec());
        Ok(sealed)
    }

    /// Decrypts what [`DataKey::seal`] produced with the same `context`.
    pub async fn open(&self, sealed: &[u8], context: &[u8]) -> Result<Vec<u8>, CryptoError> {
        self.open_array(&Uint8Array::from(sealed), context).await
    }

    /// [`DataKey::open`] for a sealed value still in JavaScript memory (as read from IndexedDB): the
    /// browser decrypts views of it directly, without copying it into WebAssembly and back first.
    pub async fn open_array(&self, sealed: &Uint8Array, context: &[u8]) -> Result<Vec<u8>, CryptoError> {
        if sealed.length() as usize <= IV_BYTES {
            return Err(CryptoError::Rejected);
        }
        let iv = sealed.subarray(0, IV_BYTES as u32);
        let ciphertext = sealed.subarray(IV_BYTES as u32, sealed.length());
        let params = AesGcmParams::new_with_u8_array("AES-GCM", &iv);
        params.set_additional_data_u8_array(&Uint8Array::from(context));
        let plaintext =
            resolve(subtle()?.decrypt_with_object_and_buffer_source(&params, &self.0, &ciphertext)).await?;
        Ok(Uint8Array::new(&plaintext).to_vec())
    }
}
