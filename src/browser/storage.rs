//! `sessionStorage` as a [`Store`], scoped to one deployment of the app.

use oncall_core::storage::{scoped_key, StorageError, Store};

/// This tab's `sessionStorage` for the app deployed at one base path (its keys are
/// [`scoped_key`]s, so two deployments on one origin never share a record), or nothing when
/// the browser refuses it (some embedded or private contexts throw on access): every read then
/// finds nothing and every write fails with a sentence.
pub struct SessionStorage {
    storage: Option<web_sys::Storage>,
    base_path: String,
}

impl SessionStorage {
    /// The storage of the app whose base path (`/`, `/tools/oncall/`) is `base_path`.
    pub fn for_app(base_path: &str) -> Self {
        Self {
            storage: web_sys::window().and_then(|w| w.session_storage().ok().flatten()),
            base_path: base_path.to_string(),
        }
    }
}

impl Store for SessionStorage {
    fn get(&self, key: &str) -> Option<String> {
        let key = scoped_key(key, &self.base_path);
        self.storage.as_ref()?.get_item(&key).ok().flatten()
    }

    fn set(&self, key: &str, value: &str) -> Result<(), StorageError> {
        let storage = self.storage.as_ref().ok_or(StorageError)?;
        let key = scoped_key(key, &self.base_path);
        storage.set_item(&key, value).map_err(|_| StorageError)
    }

    fn remove(&self, key: &str) {
        if let Some(storage) = &self.storage {
            let _ = storage.remove_item(&scoped_key(key, &self.base_path));
        }
    }
}
