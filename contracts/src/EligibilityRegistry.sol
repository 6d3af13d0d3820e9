// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IEligibilityRegistry} from "./IEligibilityRegistry.sol";
import {ReasonCodes} from "./ReasonCodes.sol";

/// @title EligibilityRegistry
/// @notice The on-chain whitelist of one issuance, written by the stonode node.
/// Each wallet has one packed storage slot: a pseudonymous investor id, an
/// ISO 3166-1 alpha-2 country code, category flags and a valid-until time.
/// A wallet is eligible while its investor id is non-zero,
/// `block.timestamp <= validUntil` (inclusive, seconds; expiry needs no
/// transaction) and its country passes the country rule. No personal data is stored.
///
/// The registry also holds the issuance's residence-country rule (an allow-list
/// or a deny-list of ISO codes), checked against the wallet's stored country.
///
/// Writes come in batches numbered by a sequence: batch n must carry
/// `expectedSeq == n` (== seq() before the call) and leaves seq() == n + 1, so a
/// replayed, skipped or reordered batch reverts with SequenceMismatch and the
/// node can detect the gap and replay. Each entry sets the wallet's full state
/// (idempotent: applying it twice gives the same state); an entry with
/// investorId 0 removes the wallet. Every entry emits EligibilitySet with the
/// wallet's full new state.
contract EligibilityRegistry is AccessControl, IEligibilityRegistry {
    /// @notice May apply batches (the node's key).
    bytes32 public constant WRITER_ROLE = keccak256("WRITER_ROLE");
    /// @notice May pause and unpause writes.
    bytes32 public constant PAUSER_ROLE = keccak256("PAUSER_ROLE");

    /// @notice Category flag bits (a node may define more in the high bits).
    uint16 public constant CATEGORY_GENERAL = 1 << 0;
    uint16 public constant CATEGORY_QII = 1 << 1;
    uint16 public constant CATEGORY_SPECIFIED_INVESTOR = 1 << 2;

    /// @notice One wallet's state; fits one storage slot (136 bits).
    struct Record {
        uint64 investorId; // 0 = not whitelisted
        bytes2 country; // ISO 3166-1 alpha-2, e.g. "JP"
        uint16 categories; // CATEGORY_* bits
        uint40 validUntil; // unix seconds, inclusive
    }

    /// @notice One write: the wallet's full new state.
    struct Entry {
        address wallet;
        uint64 investorId; // 0 removes the wallet
        bytes2 country;
        uint16 categories;
        uint40 validUntil;
    }

    mapping(address wallet => Record) private _records;
    uint64 private _seq;
    bool private _paused;
    // Residence-country rule: a bitmap over "AA".."ZZ" (26*26 = 676 bits, 255 per
    // slot) with bit 255 of every slot set for an allow-list (clear: deny-list),
    // so one slot read answers a country. Default: an empty deny-list.
    uint256[3] private _countryRule;
    uint256 private constant _NO_COUNTRY = type(uint256).max;

    /// @notice A wallet's full new state (investorId 0: removed).
    event EligibilitySet(
        address indexed wallet, uint64 indexed investorId, bytes2 country, uint16 categories, uint40 validUntil
    );
    /// @notice Batch number `seq` (its expectedSeq) was applied with `entries` entries.
    event BatchApplied(uint64 indexed seq, uint256 entries);
    /// @notice The residence-country rule was replaced.
    event CountryRuleSet(bool allowList, bytes2[] countries);
    event Paused(address account);
    event Unpaused(address account);

    error SequenceMismatch(uint64 expected, uint64 actual);
    error WritesPaused();
    error ZeroWallet();
    error InvalidCountry(bytes2 country);

    constructor(address admin, address writer, address pauser) {
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        if (writer != address(0)) _grantRole(WRITER_ROLE, writer);
        if (pauser != address(0)) _grantRole(PAUSER_ROLE, pauser);
    }

    /// @notice Applies batch number `expectedSeq`. Reverts with SequenceMismatch
    /// unless expectedSeq == seq(); returns the new seq().
    function applyBatch(uint64 expectedSeq, Entry[] calldata entries)
        external
        onlyRole(WRITER_ROLE)
        returns (uint64 newSeq)
    {
        uint64 current = _seq;
        if (_paused) revert WritesPaused();
        if (expectedSeq != current) revert SequenceMismatch(current, expectedSeq);
        unchecked {
            newSeq = current + 1;
        }
        _seq = newSeq;

        uint256 n = entries.length;
        for (uint256 i; i < n;) {
            Entry calldata e = entries[i];
            address wallet = e.wallet;
            if (wallet == address(0)) revert ZeroWallet();
            Record memory r;
            if (e.investorId != 0) {
                r = Record(e.investorId, e.country, e.categories, e.validUntil);
            }
            Record memory old = _records[wallet];
            if (
                old.investorId != r.investorId || old.country != r.country || old.categories != r.categories
                    || old.validUntil != r.validUntil
            ) {
                if (r.investorId == 0) {
                    delete _records[wallet];
                } else {
                    _records[wallet] = r;
                }
            }
            emit EligibilitySet(wallet, r.investorId, r.country, r.categories, r.validUntil);
            unchecked {
                ++i;
            }
        }
        emit BatchApplied(expectedSeq, n);
    }

    /// @notice Number of batches applied so far; the next batch's expectedSeq.
    function seq() external view returns (uint64) {
        return _seq;
    }

    /// @notice A wallet's stored state (all zero if never set or removed).
    function recordOf(address wallet) external view returns (Record memory) {
        return _records[wallet];
    }

    /// @notice Whether `wallet` may receive tokens now.
    function isEligible(address wallet) external view returns (bool) {
        return checkReceiver(wallet) == ReasonCodes.OK;
    }

    /// @inheritdoc IEligibilityRegistry
    function checkReceiver(address wallet) public view returns (uint8) {
        Record memory r = _records[wallet];
        if (r.investorId == 0) return ReasonCodes.NOT_WHITELISTED;
        if (block.timestamp > r.validUntil) return ReasonCodes.WHITELIST_EXPIRED;
        if (!countryAllowed(r.country)) return ReasonCodes.COUNTRY_RESTRICTED;
        return ReasonCodes.OK;
    }

    /// @notice Replaces the residence-country rule. allowList: only the listed
    /// countries may receive; otherwise the listed countries may not. An empty
    /// deny-list (the default) allows every country; an empty allow-list none.
    /// Countries are ISO 3166-1 alpha-2 codes in upper case, e.g. "JP".
    function setCountryRule(bool allowList, bytes2[] calldata countries) external onlyRole(WRITER_ROLE) {
        if (_paused) revert WritesPaused();
        uint256 mode = allowList ? 1 << 255 : 0;
        uint256[3] memory bits = [mode, mode, mode];
        for (uint256 i; i < countries.length; ++i) {
            uint256 idx = _countryIndex(countries[i]);
            if (idx == _NO_COUNTRY) revert InvalidCountry(countries[i]);
            // forge-lint: disable-next-line(incorrect-shift)
            bits[idx / 255] |= 1 << (idx % 255);
        }
        for (uint256 k; k < 3; ++k) {
            _countryRule[k] = bits[k];
        }
        emit CountryRuleSet(allowList, countries);
    }

    /// @notice The current country rule: its mode and listed countries.
    function countryRule() external view returns (bool allowList, bytes2[] memory countries) {
        allowList = _countryRule[0] >> 255 == 1;
        bytes2[] memory buf = new bytes2[](676);
        uint256 n;
        for (uint256 idx; idx < 676; ++idx) {
            if ((_countryRule[idx / 255] >> (idx % 255)) & 1 == 1) {
                buf[n++] = bytes2(uint16((0x41 + idx / 26) << 8 | (0x41 + idx % 26)));
            }
        }
        countries = new bytes2[](n);
        for (uint256 i; i < n; ++i) {
            countries[i] = buf[i];
        }
    }

    /// @notice Whether the country rule lets a resident of `country` receive.
    /// A code that is not two upper-case letters is never listed.
    function countryAllowed(bytes2 country) public view returns (bool) {
        uint256 idx = _countryIndex(country);
        uint256 word = _countryRule[idx == _NO_COUNTRY ? 0 : idx / 255];
        bool listed = idx != _NO_COUNTRY && (word >> (idx % 255)) & 1 == 1;
        return (word >> 255 == 1) ? listed : !listed;
    }

    function _countryIndex(bytes2 country) private pure returns (uint256) {
        uint256 a = uint8(country[0]);
        uint256 b = uint8(country[1]);
        if (a < 0x41 || a > 0x5A || b < 0x41 || b > 0x5A) return _NO_COUNTRY;
        return (a - 0x41) * 26 + (b - 0x41);
    }

    function paused() external view returns (bool) {
        return _paused;
    }

    /// @notice Stops applyBatch until unpause; reads are unaffected.
    function pause() external onlyRole(PAUSER_ROLE) {
        _paused = true;
        emit Paused(msg.sender);
    }

    function unpause() external onlyRole(PAUSER_ROLE) {
        _paused = false;
        emit Unpaused(msg.sender);
    }
}
