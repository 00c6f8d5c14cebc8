//! Z85 round trips for any data of a whole number of 4-byte groups.

use proptest::prelude::*;
use zmtp_codec::z85;

proptest! {
    #[test]
    fn any_groups_round_trip(groups in proptest::collection::vec(any::<[u8; 4]>(), 0..32)) {
        let data: Vec<u8> = groups.concat();
        let text = z85::encode(&data).expect("whole groups encode");
        prop_assert_eq!(text.len(), data.len() / 4 * 5);
        prop_assert_eq!(z85::decode(&text).expect("own output decodes"), data);
    }

    #[test]
    fn decoding_never_panics(text in "\\PC{0,50}") {
        let _ = z85::decode(&text);
    }
}
