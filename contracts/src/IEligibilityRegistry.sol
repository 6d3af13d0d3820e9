// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

/// @notice What a SecurityToken needs from its eligibility registry.
interface IEligibilityRegistry {
    /// @notice Restriction code for `wallet` as a receiver right now:
    /// ReasonCodes.OK, NOT_WHITELISTED, WHITELIST_EXPIRED or COUNTRY_RESTRICTED.
    function checkReceiver(address wallet) external view returns (uint8 code);
}
