"""The health certificate: HC1 codec, signing, keys, trust list, revocation and QR codes."""
