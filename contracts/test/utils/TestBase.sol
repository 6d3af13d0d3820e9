// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {Vm, VM_ADDRESS} from "./Vm.sol";

/// @notice A minimal test base: assertions that revert (forge fails a test that
/// reverts), `bound` for fuzz inputs, and the target lists forge's invariant
/// runner reads from the test contract.
abstract contract TestBase {
    Vm internal constant vm = Vm(VM_ADDRESS);

    error AssertionFailed(string what);
    error AssertionFailedUint(string what, uint256 got, uint256 want);
    error AssertionFailedAddr(string what, address got, address want);

    address[] private _targetContracts;
    bytes4[] private _targetSelectorsList;

    // ------------------------------------------------------------ assertions

    function assertTrue(bool ok, string memory what) internal pure {
        if (!ok) revert AssertionFailed(what);
    }

    function assertEq(uint256 got, uint256 want, string memory what) internal pure {
        if (got != want) revert AssertionFailedUint(what, got, want);
    }

    function assertEq(address got, address want, string memory what) internal pure {
        if (got != want) revert AssertionFailedAddr(what, got, want);
    }

    function assertEq(string memory got, string memory want, string memory what) internal pure {
        if (keccak256(bytes(got)) != keccak256(bytes(want))) revert AssertionFailed(what);
    }

    function assertLe(uint256 got, uint256 max, string memory what) internal pure {
        if (got > max) revert AssertionFailedUint(what, got, max);
    }

    // ------------------------------------------------------------ fuzz helpers

    /// @dev Maps x into [min, max] (inclusive) without rejecting inputs.
    function bound(uint256 x, uint256 min, uint256 max) internal pure returns (uint256) {
        require(min <= max, "bound: min > max");
        if (x >= min && x <= max) return x;
        uint256 size = max - min;
        if (size == type(uint256).max) return x;
        return min + (x % (size + 1));
    }

    // ------------------------------------------------------------ invariant targets

    function targetContract(address target) internal {
        _targetContracts.push(target);
    }

    /// @dev Read by forge's invariant runner.
    function targetContracts() public view returns (address[] memory) {
        return _targetContracts;
    }
}
