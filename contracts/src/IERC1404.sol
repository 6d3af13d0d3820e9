// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

/// @notice ERC-1404: Simple Restricted Token Standard.
interface IERC1404 {
    /// @notice 0 if a transfer of `value` from `from` to `to` would succeed now,
    /// otherwise the restriction code it would revert with.
    function detectTransferRestriction(address from, address to, uint256 value) external view returns (uint8);

    /// @notice A human-readable explanation of a restriction code.
    function messageForTransferRestriction(uint8 restrictionCode) external view returns (string memory);
}
