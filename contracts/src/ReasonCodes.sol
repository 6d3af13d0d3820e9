// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

/// @title ReasonCodes
/// @notice The on-chain subset of stonode's reason-code table (registry/reasons.go).
/// Every constant here has the same name and number as the off-chain entry with
/// OnChain=true; contracts/bindings/reasons_test.go fails if the two disagree.
/// Numbers are stable and never reused.
library ReasonCodes {
    uint8 internal constant OK = 0;
    uint8 internal constant TOKEN_PAUSED = 11;
    uint8 internal constant LOCKUP_ACTIVE = 12;
    uint8 internal constant SUPPLY_CAP_EXCEEDED = 13;
    uint8 internal constant NOT_WHITELISTED = 31;
    uint8 internal constant WHITELIST_EXPIRED = 32;
    uint8 internal constant ACCOUNT_FROZEN = 37;
    uint8 internal constant COUNTRY_RESTRICTED = 43;
    uint8 internal constant MAX_HOLDERS_REACHED = 50;
    uint8 internal constant INSUFFICIENT_BALANCE = 53;
    uint8 internal constant TRANSFER_NOT_APPROVED = 70;

    /// @notice Human-readable message for a code (ERC-1404 messageForTransferRestriction).
    function message(uint8 code) internal pure returns (string memory) {
        if (code == OK) return "transfer allowed";
        if (code == TOKEN_PAUSED) return "the token is paused";
        if (code == LOCKUP_ACTIVE) return "the lock-up period has not ended";
        if (code == SUPPLY_CAP_EXCEEDED) return "the mint would take the supply above the issuance's cap";
        if (code == NOT_WHITELISTED) return "the investor is not approved for this issuance";
        if (code == WHITELIST_EXPIRED) return "the whitelist approval has expired";
        if (code == ACCOUNT_FROZEN) return "the account or wallet is frozen";
        if (code == COUNTRY_RESTRICTED) return "the investor's residence country is not allowed";
        if (code == MAX_HOLDERS_REACHED) return "the issuance has reached its maximum number of holders";
        if (code == INSUFFICIENT_BALANCE) return "the sender's free balance is insufficient";
        if (code == TRANSFER_NOT_APPROVED) {
            return "the issuance requires an approved transfer application and this transfer has none";
        }
        return "unknown restriction code";
    }
}
