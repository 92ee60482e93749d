//! Passwords, tokens and the sign-in rate limit: the rules, without HTTP.

use argon2::password_hash::rand_core::{OsRng, RngCore};
use argon2::password_hash::{Output, PasswordHash, PasswordHasher, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use sha2::{Digest, Sha256};

/// A bearer token for `/api/v1` lives 15 minutes; the client exchanges its refresh token for a new one.
pub const ACCESS_TOKEN_MILLIS: i64 = 15 * 60 * 1000;
/// A refresh token (one per user and device) lives 90 days from its last use: it rotates at every
/// refresh, so a tablet in use keeps its session through the school year and its holidays; one unused
/// for 90 days signs in online again.
pub const REFRESH_TOKEN_MILLIS: i64 = 90 * 24 * 60 * 60 * 1000;
/// How long a replaced refresh token still works: a tablet whose answer was lost on flaky school Wi-Fi
/// asks again at its next sync, which may come many minutes later. A copy presented after this ends
/// the session (see `api::auth::refresh`).
pub const REFRESH_GRACE_MILLIS: i64 = 30 * 60 * 1000;

/// A browser sign-in (office, parents' pages) ends after 30 minutes without a request: these screens
/// show personal data on shared office computers and parents' phones, and signing in again is cheap.
pub const BROWSER_IDLE_MILLIS: i64 = 30 * 60 * 1000;
/// However much it is used, a browser sign-in ends after a working day.
pub const BROWSER_MAX_MILLIS: i64 = 10 * 60 * 60 * 1000;
/// The cookie that carries a browser sign-in. The `__Host-` prefix makes the browser insist on
/// `Secure`, `Path=/` and no `Domain`: no other host or path can set or overwrite it.
pub const BROWSER_COOKIE: &str = "__Host-begleitbuch";

/// The token a browser's page sends in `X-CSRF-Token` with every request that changes something: derived
/// from the sign-in's own token, which the page cannot read (HttpOnly) and another site cannot guess.
/// Needing no storage of its own, it is the same for the sign-in's whole life.
pub fn csrf_token(sign_in_token: &str) -> String {
    hex::encode(Sha256::digest(format!("csrf:{sign_in_token}").as_bytes()))
}

/// Failed sign-ins counted over this window.
pub const FAILURE_WINDOW_MILLIS: i64 = 15 * 60 * 1000;
/// More failed attempts than this for one account within the window lock its sign-in until the window
/// passes.
pub const MAX_FAILURES_PER_ACCOUNT: u32 = 5;
/// More failures than this from one address within the window lock sign-in from that address. A
/// school's tablets share one public address, so this only bounds guessing across many accounts: a
/// class mistyping passwords all morning stays far below it, and the account limit still holds.
pub const MAX_FAILURES_PER_ADDRESS: u32 = 50;
/// Password checks (argon2id) running at once on one server; the rest wait their turn.
pub const MAX_PARALLEL_PASSWORD_CHECKS: usize = 2;

pub const MIN_PASSWORD_CHARS: usize = 10;
pub const MAX_PASSWORD_CHARS: usize = 128;

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PasswordError {
    #[error("the password must have at least {MIN_PASSWORD_CHARS} characters")]
    TooShort,
    #[error("the password must have at most {MAX_PASSWORD_CHARS} characters")]
    TooLong,
}

impl PasswordError {
    pub fn code(self) -> &'static str {
        match self {
            PasswordError::TooShort => "password_too_short",
            PasswordError::TooLong => "password_too_long",
        }
    }
}

/// Length is what makes a password strong; composition rules only make people write them down.
pub fn check_password_policy(password: &str) -> Result<(), PasswordError> {
    let chars = password.chars().count();
    if chars < MIN_PASSWORD_CHARS {
        Err(PasswordError::TooShort)
    } else if chars > MAX_PASSWORD_CHARS {
        Err(PasswordError::TooLong)
    } else {
        Ok(())
    }
}

/// An argon2id hash (OWASP parameters: 19 MiB, 2 passes) in PHC string format. Slow on purpose: call
/// it from a blocking task.
pub fn hash_password(password: &str) -> String {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .expect("argon2 with default parameters")
        .to_string()
}

/// Whether `password` matches the stored hash. A malformed hash matches nothing.
///
/// Every check needs argon2's whole memory (19 MiB). Allocated afresh per check, the allocator keeps
/// what it freed per thread and the server grew by hundreds of megabytes under sign-ins; so each
/// password thread (`crate::passwords`) keeps one block buffer and reuses it for every check.
pub fn verify_password(password: &str, stored_hash: &str) -> bool {
    thread_local! {
        static BLOCKS: std::cell::RefCell<Vec<Block>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    let Ok(parsed) = PasswordHash::new(stored_hash) else { return false };
    let (Some(salt), Some(expected)) = (parsed.salt, parsed.hash) else { return false };
    let (Ok(algorithm), Ok(params)) = (Algorithm::try_from(parsed.algorithm), Params::try_from(&parsed))
    else {
        return false;
    };
    let Ok(version) = parsed.version.map_or(Ok(Version::V0x13), Version::try_from) else { return false };
    let mut salt_bytes = [0u8; 64];
    let Ok(salt) = salt.decode_b64(&mut salt_bytes) else { return false };
    let mut computed = vec![0u8; expected.len()];
    let hashed = BLOCKS.with_borrow_mut(|blocks| {
        blocks.resize(params.block_count(), Block::default());
        Argon2::new(algorithm, version, params).hash_password_into_with_memory(
            password.as_bytes(),
            salt,
            &mut computed,
            &mut blocks[..],
        )
    });
    // `Output`'s comparison takes the same time wherever the bytes differ.
    hashed.is_ok() && Output::new(&computed).is_ok_and(|computed| computed == expected)
}

/// A hash to verify against when the login does not exist, so that an unknown login takes as long as
/// a wrong password and does not reveal which logins exist.
pub fn decoy_hash() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| hash_password("decoy password that matches no account"))
}

/// A new random token: 32 bytes from the operating system, hex-encoded.
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// A one-time password for a new or reset account: four groups of four from 31 characters that
/// cannot be mistaken for one another when read aloud or copied from a screen (no i, l, o, 0, 1),
/// about 79 bits; passes [`check_password_policy`].
pub fn one_time_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let mut chars = String::with_capacity(19);
    while chars.len() < 19 {
        if chars.len() % 5 == 4 {
            chars.push('-');
            continue;
        }
        let mut byte = [0u8; 1];
        OsRng.fill_bytes(&mut byte);
        // Rejection sampling: 248 = 8 × 31, so every character is equally likely.
        if usize::from(byte[0]) < ALPHABET.len() * 8 {
            chars.push(char::from(ALPHABET[usize::from(byte[0]) % ALPHABET.len()]));
        }
    }
    chars
}

/// What the store keeps of a token: its SHA-256. The token itself is random enough that no salt or slow
/// hash is needed.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Logins are compared without case and surrounding space.
pub fn normalise_login(login: &str) -> String {
    login.trim().to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_verifies_its_password_only() {
        let hash = hash_password("richtig-lang-genug");
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("richtig-lang-genug", &hash));
        assert!(!verify_password("falsch-lang-genug", &hash));
        assert!(!verify_password("richtig-lang-genug", "not a hash"));
        assert_ne!(hash, hash_password("richtig-lang-genug"), "every hash has its own salt");
    }

    #[test]
    fn password_policy_counts_characters() {
        assert_eq!(check_password_policy("kurz"), Err(PasswordError::TooShort));
        assert_eq!(check_password_policy("äöüäöüäöüä"), Ok(()), "ten umlauts are ten characters");
        assert_eq!(check_password_policy(&"x".repeat(129)), Err(PasswordError::TooLong));
    }

    #[test]
    fn one_time_passwords_are_four_groups_of_unmistakable_characters() {
        let passwords: Vec<String> = (0..200).map(|_| one_time_password()).collect();
        for password in &passwords {
            let groups: Vec<&str> = password.split('-').collect();
            assert_eq!(groups.iter().map(|g| g.len()).collect::<Vec<_>>(), [4, 4, 4, 4], "{password}");
            assert!(!password.contains(['i', 'l', 'o', '0', '1']), "{password}");
            assert_eq!(check_password_policy(password), Ok(()));
        }
        let distinct: std::collections::BTreeSet<&String> = passwords.iter().collect();
        assert_eq!(distinct.len(), passwords.len());
    }

    #[test]
    fn tokens_are_random_and_stored_as_hashes() {
        let (a, b) = (new_token(), new_token());
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
        assert_eq!(token_hash(&a), token_hash(&a));
        assert_ne!(token_hash(&a), a);
    }

    #[test]
    fn the_csrf_token_belongs_to_its_sign_in_and_reveals_nothing_of_it() {
        let (a, b) = (new_token(), new_token());
        assert_eq!(csrf_token(&a), csrf_token(&a));
        assert_ne!(csrf_token(&a), csrf_token(&b));
        assert_ne!(csrf_token(&a), token_hash(&a), "the stored hash is not the CSRF token");
    }

    #[test]
    fn logins_ignore_case_and_space() {
        assert_eq!(normalise_login("  Lena.Schulz "), "lena.schulz");
    }
}
