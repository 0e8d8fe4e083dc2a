//! Value encoding (bincode 2 over serde) and key layout helpers for the sled trees.

use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::error::{Result, StoreError};

fn config() -> bincode::config::Configuration {
    bincode::config::standard()
}

/// Encodes a stored value.
pub(crate) fn encode<T: Serialize>(value: &T) -> Vec<u8> {
    // Encoding plain data structures into a Vec cannot fail: the serde types here have
    // no custom serializers that return errors, and there is no size limit configured.
    bincode::serde::encode_to_vec(value, config()).expect("bincode encodes plain data")
}

/// Decodes a stored value, naming the tree when the bytes are damaged.
pub(crate) fn decode<T: DeserializeOwned>(tree: &'static str, bytes: &[u8]) -> Result<T> {
    bincode::serde::decode_from_slice(bytes, config())
        .map(|(v, _)| v)
        .map_err(|e| StoreError::Corrupt {
            tree,
            reason: e.to_string(),
        })
}

/// Decodes a value at the start of `bytes`, with the number of bytes it took.
pub(crate) fn decode_prefix<T: DeserializeOwned>(
    tree: &'static str,
    bytes: &[u8],
) -> Result<(T, usize)> {
    bincode::serde::decode_from_slice(bytes, config()).map_err(|e| StoreError::Corrupt {
        tree,
        reason: e.to_string(),
    })
}

/// Concatenates key parts.
pub(crate) fn key(parts: &[&[u8]]) -> Vec<u8> {
    let mut k = Vec::with_capacity(parts.iter().map(|p| p.len()).sum());
    for p in parts {
        k.extend_from_slice(p);
    }
    k
}

/// Reads a big-endian u64 at `at` in a key.
pub(crate) fn be_u64(tree: &'static str, bytes: &[u8], at: usize) -> Result<u64> {
    bytes
        .get(at..at + 8)
        .and_then(|b| b.try_into().ok())
        .map(u64::from_be_bytes)
        .ok_or_else(|| StoreError::Corrupt {
            tree,
            reason: format!("key of {} bytes is too short", bytes.len()),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_round_trip_and_damage_is_reported() {
        let v = (String::from("Baghdad"), vec![1u64, 2, 3], Some(7u32));
        let bytes = encode(&v);
        let back: (String, Vec<u64>, Option<u32>) = decode("t", &bytes).unwrap();
        assert_eq!(back, v);
        let err = decode::<(String, Vec<u64>)>("t", &bytes[..3]).unwrap_err();
        assert!(err.to_string().contains("tree t"), "{err}");
    }

    #[test]
    fn keys_concatenate_and_read_back() {
        let k = key(&[&5u64.to_be_bytes(), &9u64.to_be_bytes()]);
        assert_eq!(be_u64("t", &k, 8).unwrap(), 9);
        assert!(be_u64("t", &k, 12).is_err());
    }
}
