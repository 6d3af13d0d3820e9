// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {TestBase} from "./utils/TestBase.sol";
import {Vm, VM_ADDRESS} from "./utils/Vm.sol";
import {EligibilityRegistry} from "../src/EligibilityRegistry.sol";
import {SecurityToken} from "../src/SecurityToken.sol";
import {IEligibilityRegistry} from "../src/IEligibilityRegistry.sol";

/// @notice Drives random sequences of every operation against one registry and
/// token (forge's invariant runner calls its functions with fuzzed arguments)
/// and records any breach of the invariants as a flag.
contract Handler {
    Vm internal constant vm = Vm(VM_ADDRESS);

    EligibilityRegistry public registry;
    SecurityToken public token;
    address[6] public actors;

    // Breaches seen so far (all must stay false).
    bool public canTransferDisagreed;
    bool public ineligibleGained;
    uint256 public transfersOk;
    uint256 public transfersRefused;

    constructor() {
        vm.warp(1_750_000_000);
        registry = new EligibilityRegistry(address(this), address(this), address(this));
        token = new SecurityToken(
            "Inv",
            "INV",
            0,
            IEligibilityRegistry(address(registry)),
            address(this),
            address(this),
            4,
            0,
            type(uint256).max
        );
        for (uint256 i; i < actors.length; ++i) {
            actors[i] = address(uint160(0xA000 + i));
        }
    }

    function actorCount() external view returns (uint256) {
        return actors.length;
    }

    function _actor(uint256 seed) internal view returns (address) {
        return actors[seed % actors.length];
    }

    /// @dev Snapshot balances; after the operation, any actor whose balance grew
    /// must be eligible now (time does not move within the operation).
    function _balances() internal view returns (uint256[6] memory b) {
        for (uint256 i; i < actors.length; ++i) {
            b[i] = token.balanceOf(actors[i]);
        }
    }

    function _checkGains(uint256[6] memory before) internal {
        for (uint256 i; i < actors.length; ++i) {
            if (token.balanceOf(actors[i]) > before[i] && registry.checkReceiver(actors[i]) != 0) {
                ineligibleGained = true;
            }
        }
    }

    // ------------------------------------------------------------ holder actions

    function transfer(uint256 fromSeed, uint256 toSeed, uint256 amount) external {
        address from = _actor(fromSeed);
        address to = _actor(toSeed);
        amount = amount % (token.balanceOf(from) + 3);
        bool predicted = token.canTransfer(from, to, amount);
        uint256[6] memory before = _balances();
        vm.prank(from);
        try token.transfer(to, amount) {
            if (!predicted) canTransferDisagreed = true;
            ++transfersOk;
        } catch (bytes memory err) {
            if (predicted) canTransferDisagreed = true;
            if (bytes4(err) != SecurityToken.TransferRestricted.selector) canTransferDisagreed = true;
            ++transfersRefused;
        }
        _checkGains(before);
    }

    // ------------------------------------------------------------ agent actions

    function mint(uint256 toSeed, uint256 amount) external {
        address to = _actor(toSeed);
        amount = amount % 1e24;
        bool predicted = token.canTransfer(address(0), to, amount);
        uint256[6] memory before = _balances();
        try token.mint(to, amount) {
            if (!predicted) canTransferDisagreed = true;
        } catch {
            if (predicted) canTransferDisagreed = true;
        }
        _checkGains(before);
    }

    function burn(uint256 fromSeed, uint256 amount) external {
        address from = _actor(fromSeed);
        amount = amount % (token.balanceOf(from) + 2);
        try token.burn(from, amount) {} catch {}
    }

    function forcedTransfer(uint256 fromSeed, uint256 toSeed, uint256 amount) external {
        address from = _actor(fromSeed);
        address to = _actor(toSeed);
        amount = amount % (token.balanceOf(from) + 2);
        uint256[6] memory before = _balances();
        try token.forcedTransfer(from, to, amount) {} catch {}
        _checkGains(before);
    }

    function setFrozen(uint256 seed, bool frozen) external {
        token.setAddressFrozen(_actor(seed), frozen);
    }

    function freezePartial(uint256 seed, uint256 amount) external {
        address a = _actor(seed);
        amount = amount % (token.freeBalanceOf(a) + 1);
        token.freezePartialTokens(a, amount);
    }

    function unfreezePartial(uint256 seed, uint256 amount) external {
        address a = _actor(seed);
        amount = amount % (token.getFrozenTokens(a) + 1);
        token.unfreezePartialTokens(a, amount);
    }

    function setPaused(bool p) external {
        if (p) token.pause();
        else token.unpause();
    }

    function setLockupEnd(uint40 delta) external {
        token.setLockupEnd(uint40(block.timestamp) + delta % 3 days);
    }

    function setMaxHolders(uint32 cap) external {
        token.setMaxHolders(cap % 6);
    }

    // ------------------------------------------------------------ registry and time

    function whitelist(uint256 seed, uint64 investorId, uint32 validFor, bool usResident) external {
        EligibilityRegistry.Entry[] memory es = new EligibilityRegistry.Entry[](1);
        es[0] = EligibilityRegistry.Entry(
            _actor(seed), investorId % 4, usResident ? bytes2("US") : bytes2("JP"), 1, uint40(block.timestamp) + validFor % 2 days
        );
        registry.applyBatch(registry.seq(), es);
    }

    function setCountryRule(bool denyUs) external {
        bytes2[] memory cs = new bytes2[](denyUs ? 1 : 0);
        if (denyUs) cs[0] = "US";
        registry.setCountryRule(false, cs);
    }

    function warp(uint32 secs) external {
        vm.warp(block.timestamp + secs % 1 days);
    }
}

/// @notice Invariants over random operation sequences: no wallet that is not
/// eligible at that moment ever gains balance; canTransfer is false exactly
/// when the transfer reverts; bookkeeping (supply, holder count, frozen amounts)
/// stays consistent.
contract InvariantTest is TestBase {
    Handler internal handler;

    function setUp() public {
        handler = new Handler();
        targetContract(address(handler));
    }

    function invariant_no_ineligible_wallet_gains_balance() public view {
        assertTrue(!handler.ineligibleGained(), "an ineligible or expired wallet gained balance");
    }

    function invariant_canTransfer_matches_revert() public view {
        assertTrue(!handler.canTransferDisagreed(), "canTransfer disagreed with the transfer's outcome");
    }

    function invariant_bookkeeping() public view {
        SecurityToken token = handler.token();
        uint256 sum;
        uint256 holders;
        for (uint256 i; i < handler.actorCount(); ++i) {
            address a = handler.actors(i);
            uint256 b = token.balanceOf(a);
            sum += b;
            if (b != 0) ++holders;
            assertLe(token.getFrozenTokens(a), b, "frozen above balance");
        }
        assertEq(sum, token.totalSupply(), "supply != sum of balances");
        assertEq(holders, token.holderCount(), "holder count");
    }
}
