// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {TestBase} from "./TestBase.sol";
import {EligibilityRegistry} from "../../src/EligibilityRegistry.sol";
import {SecurityToken} from "../../src/SecurityToken.sol";
import {IEligibilityRegistry} from "../../src/IEligibilityRegistry.sol";

/// @notice Deploys a registry and a token the way a node does for one issuance.
abstract contract Fixture is TestBase {
    address internal admin = address(0xA11CE);
    address internal writer = address(0x3417E2);
    address internal pauser = address(0x9A05E2);
    address internal agent = address(0xA6E17);

    address internal alice = address(0x1001);
    address internal bob = address(0x1002);
    address internal carol = address(0x1003);
    address internal outsider = address(0x1bad);

    uint40 internal constant T0 = 1_750_000_000; // start time of every test
    uint40 internal constant FAR = type(uint40).max;

    EligibilityRegistry internal registry;
    SecurityToken internal token;

    function _deploy(uint32 maxHolders, uint40 lockupEnd) internal {
        vm.warp(T0);
        registry = new EligibilityRegistry(admin, writer, pauser);
        token = new SecurityToken(
            "Tokyo Office REIT ST",
            "TORST",
            0,
            IEligibilityRegistry(address(registry)),
            admin,
            agent,
            maxHolders,
            lockupEnd,
            type(uint256).max
        );
    }

    function _entry(address wallet, uint64 investorId, uint40 validUntil)
        internal
        pure
        returns (EligibilityRegistry.Entry memory)
    {
        return EligibilityRegistry.Entry(wallet, investorId, "JP", 1, validUntil);
    }

    function _apply(EligibilityRegistry.Entry[] memory entries) internal {
        uint64 s = registry.seq();
        vm.prank(writer);
        registry.applyBatch(s, entries);
    }

    function _whitelist(address wallet, uint64 investorId, uint40 validUntil) internal {
        EligibilityRegistry.Entry[] memory es = new EligibilityRegistry.Entry[](1);
        es[0] = _entry(wallet, investorId, validUntil);
        _apply(es);
    }

    function _whitelistCountry(address wallet, uint64 investorId, bytes2 country) internal {
        EligibilityRegistry.Entry[] memory es = new EligibilityRegistry.Entry[](1);
        es[0] = EligibilityRegistry.Entry(wallet, investorId, country, 1, FAR);
        _apply(es);
    }

    function _remove(address wallet) internal {
        _whitelist(wallet, 0, 0);
    }

    function _mint(address to, uint256 amount) internal {
        vm.prank(agent);
        token.mint(to, amount);
    }

    function _restricted(uint8 code) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(SecurityToken.TransferRestricted.selector, code);
    }
}
