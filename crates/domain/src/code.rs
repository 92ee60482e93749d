//! Enums whose variants travel and are stored as codes (`social_emotional_learning`, `team_lead`):
//! each code is written once, beside its variant, and the enum's `code`, `from_code`, `ALL`, `CODES` and its
//! serde form all come from that one list, so a label table matched on the enum cannot drift from what
//! the wire and the database hold.

/// Declares a field-less enum with a code per variant: `ALL` (in declaration order), `code()`,
/// `from_code()`, and serde as the code string.
macro_rules! coded_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$variant_meta:meta])* $variant:ident = $code:literal, )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name {
            $( $(#[$variant_meta])* $variant, )+
        }

        impl $name {
            /// Every variant, in declaration order.
            pub const ALL: [$name; [$($code),+].len()] = [$($name::$variant),+];
            /// Every code, in declaration order.
            pub const CODES: [&'static str; [$($code),+].len()] = [$($code),+];

            /// The code this variant travels and is stored as.
            pub const fn code(self) -> &'static str {
                match self {
                    $( $name::$variant => $code, )+
                }
            }

            /// The variant with this code, if any.
            pub fn from_code(code: &str) -> Option<Self> {
                match code {
                    $( $code => Some($name::$variant), )+
                    _ => None,
                }
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.code())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let code = <std::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(deserializer)?;
                $name::from_code(&code)
                    .ok_or_else(|| serde::de::Error::unknown_variant(&code, &$name::CODES))
            }
        }
    };
}

pub(crate) use coded_enum;

#[cfg(test)]
mod tests {
    coded_enum! {
        /// A test enum.
        pub enum Sample {
            First = "first",
            /// With a doc comment.
            SecondOne = "second_one",
        }
    }

    #[test]
    fn codes_round_trip_through_serde_and_from_code() {
        for sample in Sample::ALL {
            let json = serde_json::to_string(&sample).unwrap();
            assert_eq!(json, format!("\"{}\"", sample.code()));
            assert_eq!(serde_json::from_str::<Sample>(&json).unwrap(), sample);
            assert_eq!(Sample::from_code(sample.code()), Some(sample));
        }
        assert_eq!(Sample::ALL, [Sample::First, Sample::SecondOne]);
    }

    #[test]
    fn an_unknown_code_is_refused_with_the_known_ones() {
        let error = serde_json::from_str::<Sample>("\"third\"").unwrap_err().to_string();
        assert!(error.contains("third") && error.contains("second_one"), "{error}");
        assert_eq!(Sample::from_code("First"), None);
    }
}
