//! `sessionStorage` as a [`Store`].

use crate::storage::{StorageError, Store};

/// This tab's `sessionStorage`, or nothing when the browser refuses it (some embedded or
/// private contexts throw on access); every read then finds nothing and every write fails
/// with a sentence.
pub struct SessionStorage(Option<web_sys::Storage>);

impl SessionStorage {
    pub fn open() -> Self {
        Self(web_sys::window().and_then(|w| w.session_storage().ok().flatten()))
    }
}

impl Store for SessionStorage {
    fn get(&self, key: &str) -> Option<String> {
        self.0.as_ref()?.get_item(key).ok().flatten()
    }

    fn set(&self, key: &str, value: &str) -> Result<(), StorageError> {
        let storage = self.0.as_ref().ok_or(StorageError)?;
        storage.set_item(key, value).map_err(|_| StorageError)
    }

    fn remove(&self, key: &str) {
        if let Some(storage) = &self.0 {
            let _ = storage.remove_item(key);
        }
    }
}
