// Code generated via abigen V2 - DO NOT EDIT.
// This file is a generated binding and any manual changes will be lost.

package bindings

import (
	"bytes"
	"errors"
	"math/big"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
)

// Reference imports to suppress errors if they are not otherwise used.
var (
	_ = bytes.Equal
	_ = errors.New
	_ = big.NewInt
	_ = common.Big1
	_ = types.BloomLookup
	_ = abi.ConvertType
)

// EligibilityRegistryEntry is an auto generated low-level Go binding around an user-defined struct.
type EligibilityRegistryEntry struct {
	Wallet     common.Address
	InvestorId uint64
	Country    [2]byte
	Categories uint16
	ValidUntil *big.Int
}

// EligibilityRegistryRecord is an auto generated low-level Go binding around an user-defined struct.
type EligibilityRegistryRecord struct {
	InvestorId uint64
	Country    [2]byte
	Categories uint16
	ValidUntil *big.Int
}

// EligibilityRegistryMetaData contains all meta data concerning the EligibilityRegistry contract.
var EligibilityRegistryMetaData = bind.MetaData{
	ABI: "[{\"type\":\"constructor\",\"inputs\":[{\"name\":\"admin\",\"type\":\"address\",\"internalType\":\"address\"},{\"name\":\"writer\",\"type\":\"address\",\"internalType\":\"address\"},{\"name\":\"pauser\",\"type\":\"address\",\"internalType\":\"address\"}],\"stateMutability\":\"nonpayable\"},{\"type\":\"function\",\"name\":\"CATEGORY_GENERAL\",\"inputs\":[],\"outputs\":[{\"name\":\"\",\"type\":\"uint16\",\"internalType\":\"uint16\"}],\"stateMutability\":\"view\"},{\"type\":\"function\",\"name\":\"CATEGORY_QII\",\"inputs\":[],\"outputs\":[{\"name\":\"\",\"type\":\"uint16\",\"internalType\":\"uint16\"}],\"stateMutability\":\"view\"},{\"type\":\"function\",\"name\":\"CATEGORY_SPECIFIED_INVESTOR\",\"inputs\":[],\"outputs\":[{\"name\":\"\",\"type\":\"uint16\",\"internalType\":\"uint16\"}],\"stateMutability\":\"view\"},{\"type\":\"function\",\"name\":\"DEFAULT_ADMIN_ROLE\",\"inputs\":[],\"outputs\":[{\"name\":\"\",\"type\":\"bytes32\",\"internalType\":\"bytes32\"}],\"stateMutability\":\"view\"},{\"type\":\"function\",\"name\":\"PAUSER_ROLE\",\"inputs\":[],\"outputs\":[{\"name\":\"\",\"type\":\"bytes32\",\"internalType\":\"bytes32\"}],\"stateMutability\":\"view\"},{\"type\":\"function\",\"name\":\"WRITER_ROLE\",\"inputs\":[],\"outputs\":[{\"name\":\"\",\"type\":\"bytes32\",\"internalType\":\"bytes32\"}],\"stateMutability\":\"view\"},{\"type\":\"function\",\"name\":\"applyBatch\",\"inputs\":[{\"name\":\"expectedSeq\",\"type\":\"uint64\",\"internalType\":\"uint64\"},{\"name\":\"entries\",\"type\":\"tuple[]\",\"internalType\":\"structEligibilityRegistry.Entry[]\",\"components\":[{\"name\":\"wallet\",\"type\":\"address\",\"internalType\":\"address\"},{\"name\":\"investorId\",\"type\":\"uint64\",\"internalType\":\"uint64\"},{\"name\":\"country\",\"type\":\"bytes2\",\"internalType\":\"bytes2\"},{\"name\":\"categories\",\"type\":\"uint16\",\"internalType\":\"uint16\"},{\"name\":\"validUntil\",\"type\":\"uint40\",\"internalType\":\"uint40\"}]}],\"outputs\":[{\"name\":\"newSeq\",\"type\":\"uint64\",\"internalType\":\"uint64\"}],\"stateMutability\":\"nonpayable\"},{\"type\":\"function\",\"name\":\"checkReceiver\",\"inputs\":[{\"name\":\"wallet\",\"type\":\"address\",\"internalType\":\"address\"}],\"outputs\":[{\"name\":\"\",\"type\":\"uint8\",\"internalType\":\"uint8\"}],\"stateMutability\":\"view\"},{\"type\":\"function\",\"name\":\"countryAllowed\",\"inputs\":[{\"name\":\"country\",\"type\":\"bytes2\",\"internalType\":\"bytes2\"}],\"outputs\":[{\"name\":\"\",\"type\":\"bool\",\"internalType\":\"bool\"}],\"stateMutability\":\"view\"},{\"type\":\"function\",\"name\":\"countryRule\",\"inputs\":[],\"outputs\":[{\"name\":\"allowList\",\"type\":\"bool\",\"internalType\":\"bool\"},{\"name\":\"countries\",\"type\":\"bytes2[]\",\"internalType\":\"bytes2[]\"}],\"stateMutability\":\"view\"},{\"type\":\"function\",\"name\":\"getRoleAdmin\",\"inputs\":[{\"name\":\"role\",\"type\":\"bytes32\",\"internalType\":\"bytes32\"}],\"outputs\":[{\"name\":\"\",\"type\":\"bytes32\",\"internalType\":\"bytes32\"}],\"stateMutability\":\"view\"},{\"type\":\"function\",\"name\":\"grantRole\",\"inputs\":[{\"name\":\"role\",\"type\":\"bytes32\",\"internalType\":\"bytes32\"},{\"name\":\"account\",\"type\":\"address\",\"internalType\":\"address\"}],\"outputs\":[],\"stateMutability\":\"nonpayable\"},{\"type\":\"function\",\"name\":\"hasRole\",\"inputs\":[{\"name\":\"role\",\"type\":\"bytes32\",\"internalType\":\"bytes32\"},{\"name\":\"account\",\"type\":\"address\",\"internalType\":\"address\"}],\"outputs\":[{\"name\":\"\",\"type\":\"bool\",\"internalType\":\"bool\"}],\"stateMutability\":\"view\"},{\"type\":\"function\",\"name\":\"isEligible\",\"inputs\":[{\"name\":\"wallet\",\"type\":\"address\",\"internalType\":\"address\"}],\"outputs\":[{\"name\":\"\",\"type\":\"bool\",\"internalType\":\"bool\"}],\"stateMutability\":\"view\"},{\"type\":\"function\",\"name\":\"pause\",\"inputs\":[],\"outputs\":[],\"stateMutability\":\"nonpayable\"},{\"type\":\"function\",\"name\":\"paused\",\"inputs\":[],\"outputs\":[{\"name\":\"\",\"type\":\"bool\",\"internalType\":\"bool\"}],\"stateMutability\":\"view\"},{\"type\":\"function\",\"name\":\"recordOf\",\"inputs\":[{\"name\":\"wallet\",\"type\":\"address\",\"internalType\":\"address\"}],\"outputs\":[{\"name\":\"\",\"type\":\"tuple\",\"internalType\":\"structEligibilityRegistry.Record\",\"components\":[{\"name\":\"investorId\",\"type\":\"uint64\",\"internalType\":\"uint64\"},{\"name\":\"country\",\"type\":\"bytes2\",\"internalType\":\"bytes2\"},{\"name\":\"categories\",\"type\":\"uint16\",\"internalType\":\"uint16\"},{\"name\":\"validUntil\",\"type\":\"uint40\",\"internalType\":\"uint40\"}]}],\"stateMutability\":\"view\"},{\"type\":\"function\",\"name\":\"renounceRole\",\"inputs\":[{\"name\":\"role\",\"type\":\"bytes32\",\"internalType\":\"bytes32\"},{\"name\":\"callerConfirmation\",\"type\":\"address\",\"internalType\":\"address\"}],\"outputs\":[],\"stateMutability\":\"nonpayable\"},{\"type\":\"function\",\"name\":\"revokeRole\",\"inputs\":[{\"name\":\"role\",\"type\":\"bytes32\",\"internalType\":\"bytes32\"},{\"name\":\"account\",\"type\":\"address\",\"internalType\":\"address\"}],\"outputs\":[],\"stateMutability\":\"nonpayable\"},{\"type\":\"function\",\"name\":\"seq\",\"inputs\":[],\"outputs\":[{\"name\":\"\",\"type\":\"uint64\",\"internalType\":\"uint64\"}],\"stateMutability\":\"view\"},{\"type\":\"function\",\"name\":\"setCountryRule\",\"inputs\":[{\"name\":\"allowList\",\"type\":\"bool\",\"internalType\":\"bool\"},{\"name\":\"countries\",\"type\":\"bytes2[]\",\"internalType\":\"bytes2[]\"}],\"outputs\":[],\"stateMutability\":\"nonpayable\"},{\"type\":\"function\",\"name\":\"supportsInterface\",\"inputs\":[{\"name\":\"interfaceId\",\"type\":\"bytes4\",\"internalType\":\"bytes4\"}],\"outputs\":[{\"name\":\"\",\"type\":\"bool\",\"internalType\":\"bool\"}],\"stateMutability\":\"view\"},{\"type\":\"function\",\"name\":\"unpause\",\"inputs\":[],\"outputs\":[],\"stateMutability\":\"nonpayable\"},{\"type\":\"event\",\"name\":\"BatchApplied\",\"inputs\":[{\"name\":\"seq\",\"type\":\"uint64\",\"indexed\":true,\"internalType\":\"uint64\"},{\"name\":\"entries\",\"type\":\"uint256\",\"indexed\":false,\"internalType\":\"uint256\"}],\"anonymous\":false},{\"type\":\"event\",\"name\":\"CountryRuleSet\",\"inputs\":[{\"name\":\"allowList\",\"type\":\"bool\",\"indexed\":false,\"internalType\":\"bool\"},{\"name\":\"countries\",\"type\":\"bytes2[]\",\"indexed\":false,\"internalType\":\"bytes2[]\"}],\"anonymous\":false},{\"type\":\"event\",\"name\":\"EligibilitySet\",\"inputs\":[{\"name\":\"wallet\",\"type\":\"address\",\"indexed\":true,\"internalType\":\"address\"},{\"name\":\"investorId\",\"type\":\"uint64\",\"indexed\":true,\"internalType\":\"uint64\"},{\"name\":\"country\",\"type\":\"bytes2\",\"indexed\":false,\"internalType\":\"bytes2\"},{\"name\":\"categories\",\"type\":\"uint16\",\"indexed\":false,\"internalType\":\"uint16\"},{\"name\":\"validUntil\",\"type\":\"uint40\",\"indexed\":false,\"internalType\":\"uint40\"}],\"anonymous\":false},{\"type\":\"event\",\"name\":\"Paused\",\"inputs\":[{\"name\":\"account\",\"type\":\"address\",\"indexed\":false,\"internalType\":\"address\"}],\"anonymous\":false},{\"type\":\"event\",\"name\":\"RoleAdminChanged\",\"inputs\":[{\"name\":\"role\",\"type\":\"bytes32\",\"indexed\":true,\"internalType\":\"bytes32\"},{\"name\":\"previousAdminRole\",\"type\":\"bytes32\",\"indexed\":true,\"internalType\":\"bytes32\"},{\"name\":\"newAdminRole\",\"type\":\"bytes32\",\"indexed\":true,\"internalType\":\"bytes32\"}],\"anonymous\":false},{\"type\":\"event\",\"name\":\"RoleGranted\",\"inputs\":[{\"name\":\"role\",\"type\":\"bytes32\",\"indexed\":true,\"internalType\":\"bytes32\"},{\"name\":\"account\",\"type\":\"address\",\"indexed\":true,\"internalType\":\"address\"},{\"name\":\"sender\",\"type\":\"address\",\"indexed\":true,\"internalType\":\"address\"}],\"anonymous\":false},{\"type\":\"event\",\"name\":\"RoleRevoked\",\"inputs\":[{\"name\":\"role\",\"type\":\"bytes32\",\"indexed\":true,\"internalType\":\"bytes32\"},{\"name\":\"account\",\"type\":\"address\",\"indexed\":true,\"internalType\":\"address\"},{\"name\":\"sender\",\"type\":\"address\",\"indexed\":true,\"internalType\":\"address\"}],\"anonymous\":false},{\"type\":\"event\",\"name\":\"Unpaused\",\"inputs\":[{\"name\":\"account\",\"type\":\"address\",\"indexed\":false,\"internalType\":\"address\"}],\"anonymous\":false},{\"type\":\"error\",\"name\":\"AccessControlBadConfirmation\",\"inputs\":[]},{\"type\":\"error\",\"name\":\"AccessControlUnauthorizedAccount\",\"inputs\":[{\"name\":\"account\",\"type\":\"address\",\"internalType\":\"address\"},{\"name\":\"neededRole\",\"type\":\"bytes32\",\"internalType\":\"bytes32\"}]},{\"type\":\"error\",\"name\":\"InvalidCountry\",\"inputs\":[{\"name\":\"country\",\"type\":\"bytes2\",\"internalType\":\"bytes2\"}]},{\"type\":\"error\",\"name\":\"SequenceMismatch\",\"inputs\":[{\"name\":\"expected\",\"type\":\"uint64\",\"internalType\":\"uint64\"},{\"name\":\"actual\",\"type\":\"uint64\",\"internalType\":\"uint64\"}]},{\"type\":\"error\",\"name\":\"WritesPaused\",\"inputs\":[]},{\"type\":\"error\",\"name\":\"ZeroWallet\",\"inputs\":[]}]",
	ID:  "EligibilityRegistry",
	Bin: "0x608060405234801561000f575f5ffd5b50604051611c2d380380611c2d83398101604081905261002e9161017b565b6100385f846100b7565b506001600160a01b03821615610074576100727f2b8f168f361ac1393a163ed4adfa899a87be7b7c71645167bdaddd822ae453c8836100b7565b505b6001600160a01b038116156100af576100ad7f65d7a28e3265b37a6474929f336521b332c1681b933f6cb9f3376673440d862a826100b7565b505b5050506101bb565b5f828152602081815260408083206001600160a01b038516845290915281205460ff16610157575f838152602081815260408083206001600160a01b03861684529091529020805460ff1916600117905561010f3390565b6001600160a01b0316826001600160a01b0316847f2f8788117e7eff1d82e926ec794901d17c78024a50270940304540a733656f0d60405160405180910390a450600161015a565b505f5b92915050565b80516001600160a01b0381168114610176575f5ffd5b919050565b5f5f5f6060848603121561018d575f5ffd5b61019684610160565b92506101a460208501610160565b91506101b260408501610160565b90509250925092565b611a65806101c85f395ff3fe608060405234801561000f575f5ffd5b5060043610610184575f3560e01c80636857ab40116100dd578063bce7ad0411610088578063d547741f11610063578063d547741f146104b0578063e63ab1e9146104c3578063fac14980146104ea575f5ffd5b8063bce7ad041461034b578063c06ac6a314610353578063c1235a761461049d575f5ffd5b806391d14854116100b857806391d14854146102da5780639beaab7b1461031d578063a217fddf14610344575f5ffd5b80636857ab40146102985780637a27fca6146102bf5780638456cb59146102d2575f5ffd5b806336568abe1161013d57806358495b281161011857806358495b28146102665780635c975abb1461026e57806366e305fd14610285575f5ffd5b806336568abe146102265780633dd00861146102395780633f4ba83a1461025e575f5ffd5b8063248a9ca31161016d578063248a9ca3146101c65780632f2ff15d146101f65780632f407c461461020b575f5ffd5b806301ffc9a7146101885780631a8f7c6b146101b0575b5f5ffd5b61019b6101963660046115dc565b6104fd565b60405190151581526020015b60405180910390f35b6101b8610595565b6040516101a7929190611622565b6101e86101d4366004611693565b5f9081526020819052604090206001015490565b6040519081526020016101a7565b6102096102043660046116d2565b610756565b005b610213600281565b60405161ffff90911681526020016101a7565b6102096102343660046116d2565b610780565b61024c6102473660046116fc565b6107de565b60405160ff90911681526020016101a7565b6102096108d9565b610213600481565b60025468010000000000000000900460ff1661019b565b61019b6102933660046116fc565b610962565b60025467ffffffffffffffff165b60405167ffffffffffffffff90911681526020016101a7565b6102096102cd366004611715565b610977565b610209610bbf565b61019b6102e83660046116d2565b5f9182526020828152604080842073ffffffffffffffffffffffffffffffffffffffff93909316845291905290205460ff1690565b6101e87f2b8f168f361ac1393a163ed4adfa899a87be7b7c71645167bdaddd822ae453c881565b6101e85f81565b610213600181565b6104336103613660046116fc565b604080516080810182525f8082526020820181905291810182905260608101919091525073ffffffffffffffffffffffffffffffffffffffff165f908152600160209081526040918290208251608081018452905467ffffffffffffffff8116825268010000000000000000810460f01b7fffff00000000000000000000000000000000000000000000000000000000000016928201929092526a0100000000000000000000820461ffff16928101929092526c01000000000000000000000000900464ffffffffff16606082015290565b6040516101a79190815167ffffffffffffffff1681526020808301517fffff000000000000000000000000000000000000000000000000000000000000169082015260408083015161ffff169082015260609182015164ffffffffff169181019190915260800190565b61019b6104ab3660046117cb565b610c4c565b6102096104be3660046116d2565b610ccc565b6101e87f65d7a28e3265b37a6474929f336521b332c1681b933f6cb9f3376673440d862a81565b6102a66104f83660046117fb565b610cf0565b5f7fffffffff0000000000000000000000000000000000000000000000000000000082167f7965db0b00000000000000000000000000000000000000000000000000000000148061058f57507f01ffc9a7000000000000000000000000000000000000000000000000000000007fffffffff000000000000000000000000000000000000000000000000000000008316145b92915050565b600354604080516102a48082526154a0820190925260ff9290921c600114916060915f91908160200160208202803683370190505090505f5f5b6102a481101561069a576105e460ff826118f2565b60036105f160ff84611932565b600381106106015761060161186b565b0154901c6001166001036106925761061a601a826118f2565b610625906041611945565b6008610632601a84611932565b61063d906041611945565b901b1760f01b838361064e81611958565b9450815181106106605761066061186b565b7fffff000000000000000000000000000000000000000000000000000000000000909216602092830291909101909101525b6001016105cf565b508067ffffffffffffffff8111156106b4576106b4611898565b6040519080825280602002602001820160405280156106dd578160200160208202803683370190505b5092505f5b8181101561074f578281815181106106fc576106fc61186b565b60200260200101518482815181106107165761071661186b565b7fffff000000000000000000000000000000000000000000000000000000000000909216602092830291909101909101526001016106e2565b5050509091565b5f8281526020819052604090206001015461077081611324565b61077a8383611331565b50505050565b73ffffffffffffffffffffffffffffffffffffffff811633146107cf576040517f6697b23200000000000000000000000000000000000000000000000000000000815260040160405180910390fd5b6107d9828261142a565b505050565b73ffffffffffffffffffffffffffffffffffffffff81165f9081526001602090815260408083208151608081018352905467ffffffffffffffff811680835268010000000000000000820460f01b7fffff00000000000000000000000000000000000000000000000000000000000016948301949094526a0100000000000000000000810461ffff16928201929092526c0100000000000000000000000090910464ffffffffff16606082015290820361089b5750601f92915050565b806060015164ffffffffff164211156108b75750602092915050565b6108c48160200151610c4c565b6108d15750602b92915050565b505f92915050565b7f65d7a28e3265b37a6474929f336521b332c1681b933f6cb9f3376673440d862a61090381611324565b600280547fffffffffffffffffffffffffffffffffffffffffffffff00ffffffffffffffff1690556040513381527f5db9ee0a495bf2e6ff9c91a7834c1ba4fdd244a5e8aa4e537bd38aeae4b073aa906020015b60405180910390a150565b5f8061096d836107de565b60ff161492915050565b7f2b8f168f361ac1393a163ed4adfa899a87be7b7c71645167bdaddd822ae453c86109a181611324565b60025468010000000000000000900460ff16156109ea576040517f86760b8600000000000000000000000000000000000000000000000000000000815260040160405180910390fd5b5f846109f6575f610a18565b7f80000000000000000000000000000000000000000000000000000000000000005b60408051606081018252828152602081018390529081018290529091505f5b84811015610b3b575f610a6f878784818110610a5557610a5561186b565b9050602002016020810190610a6a91906117cb565b6114e3565b90505f198103610afc57868683818110610a8b57610a8b61186b565b9050602002016020810190610aa091906117cb565b6040517f660b00150000000000000000000000000000000000000000000000000000000081527fffff00000000000000000000000000000000000000000000000000000000000090911660048201526024015b60405180910390fd5b610b0760ff826118f2565b6001901b83610b1760ff84611932565b60038110610b2757610b2761186b565b602002018051909117905250600101610a37565b505f5b6003811015610b7b57818160038110610b5957610b5961186b565b602002015160038260038110610b7157610b7161186b565b0155600101610b3e565b507fd5d1e90df11f1fa05cb2b23981c76c5780d3228e05f00eb34b6d1da080e1a488868686604051610baf93929190611970565b60405180910390a1505050505050565b7f65d7a28e3265b37a6474929f336521b332c1681b933f6cb9f3376673440d862a610be981611324565b600280547fffffffffffffffffffffffffffffffffffffffffffffff00ffffffffffffffff16680100000000000000001790556040513381527f62e78cea01bee320cd4e420270b5ea74000d11b0c9f74754ebdbfc544b05a25890602001610957565b5f5f610c57836114e3565b90505f60035f198314610c7457610c6f60ff84611932565b610c76565b5f5b60038110610c8657610c8661186b565b015490505f5f198314158015610cac5750610ca260ff846118f2565b82901c6001166001145b905060ff82901c600114610cc1578015610cc3565b805b95945050505050565b5f82815260208190526040902060010154610ce681611324565b61077a838361142a565b5f7f2b8f168f361ac1393a163ed4adfa899a87be7b7c71645167bdaddd822ae453c8610d1b81611324565b60025467ffffffffffffffff81169068010000000000000000900460ff1615610d70576040517f86760b8600000000000000000000000000000000000000000000000000000000815260040160405180910390fd5b8067ffffffffffffffff168667ffffffffffffffff1614610dd1576040517f7d7ed65300000000000000000000000000000000000000000000000000000000815267ffffffffffffffff808316600483015287166024820152604401610af3565b600280547fffffffffffffffffffffffffffffffffffffffffffffffff0000000000000000166001830167ffffffffffffffff8116919091179091559250835f5b818110156112d55736878783818110610e2d57610e2d61186b565b60a0029190910191505f9050610e4660208301836116fc565b905073ffffffffffffffffffffffffffffffffffffffff8116610e95576040517f2033e23800000000000000000000000000000000000000000000000000000000815260040160405180910390fd5b604080516080810182525f808252602082018190529181018290526060810191909152610ec860408401602085016119dd565b67ffffffffffffffff1615610f70576040518060800160405280846020016020810190610ef591906119dd565b67ffffffffffffffff168152602001610f1460608601604087016117cb565b7fffff000000000000000000000000000000000000000000000000000000000000168152602001610f4b60808601606087016119f6565b61ffff168152602001610f6460a0860160808701611a17565b64ffffffffff16905290505b73ffffffffffffffffffffffffffffffffffffffff82165f908152600160209081526040918290208251608081018452905467ffffffffffffffff80821680845268010000000000000000830460f01b7fffff00000000000000000000000000000000000000000000000000000000000016948401949094526a0100000000000000000000820461ffff16948301949094526c01000000000000000000000000900464ffffffffff166060820152835190921614158061107a575081602001517dffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff191681602001517dffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff191614155b806110955750816040015161ffff16816040015161ffff1614155b806110b65750816060015164ffffffffff16816060015164ffffffffff1614155b1561121a57815167ffffffffffffffff165f0361111c5773ffffffffffffffffffffffffffffffffffffffff83165f90815260016020526040902080547fffffffffffffffffffffffffffffff000000000000000000000000000000000016905561121a565b73ffffffffffffffffffffffffffffffffffffffff83165f90815260016020908152604091829020845181549286015193860151606087015164ffffffffff166c01000000000000000000000000027fffffffffffffffffffffffffffffff0000000000ffffffffffffffffffffffff61ffff929092166a010000000000000000000002919091167fffffffffffffffffffffffffffffff00000000000000ffffffffffffffffffff60f09690961c68010000000000000000027fffffffffffffffffffffffffffffffffffffffffffff0000000000000000000090951667ffffffffffffffff909316929092179390931793909316929092171790555b815f015167ffffffffffffffff168373ffffffffffffffffffffffffffffffffffffffff167f2bfabbe11ca65c7eb8db619f2877d937f4dfb119f3a6d8d59a237674a72f55e48460200151856040015186606001516040516112be939291907fffff00000000000000000000000000000000000000000000000000000000000093909316835261ffff91909116602083015264ffffffffff16604082015260600190565b60405180910390a384600101945050505050610e12565b508667ffffffffffffffff167fde9be95207f585e03eaf009edad0f60b270cf0bc3d4b669638d17f6ac5dba74c8260405161131291815260200190565b60405180910390a25050509392505050565b61132e8133611553565b50565b5f8281526020818152604080832073ffffffffffffffffffffffffffffffffffffffff8516845290915281205460ff16611423575f8381526020818152604080832073ffffffffffffffffffffffffffffffffffffffff86168452909152902080547fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff001660011790556113c13390565b73ffffffffffffffffffffffffffffffffffffffff168273ffffffffffffffffffffffffffffffffffffffff16847f2f8788117e7eff1d82e926ec794901d17c78024a50270940304540a733656f0d60405160405180910390a450600161058f565b505f61058f565b5f8281526020818152604080832073ffffffffffffffffffffffffffffffffffffffff8516845290915281205460ff1615611423575f8381526020818152604080832073ffffffffffffffffffffffffffffffffffffffff8616808552925280832080547fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff0016905551339286917ff6391f5c32d9c69d2a47ea670b442974b53935d1edc7fd64eb21e047a839171b9190a450600161058f565b5f81811a600183901a60418210806114fb5750605a82115b806115065750604181105b806115115750605a81115b1561152057505f199392505050565b61152b604182611a3b565b611536604184611a3b565b61154190601a611a4e565b61154b9190611945565b949350505050565b5f8281526020818152604080832073ffffffffffffffffffffffffffffffffffffffff8516845290915290205460ff166115d8576040517fe2517d3f00000000000000000000000000000000000000000000000000000000815273ffffffffffffffffffffffffffffffffffffffff8216600482015260248101839052604401610af3565b5050565b5f602082840312156115ec575f5ffd5b81357fffffffff000000000000000000000000000000000000000000000000000000008116811461161b575f5ffd5b9392505050565b5f604082018415158352604060208401528084518083526060850191506020860192505f5b818110156116875783517fffff00000000000000000000000000000000000000000000000000000000000016835260209384019390920191600101611647565b50909695505050505050565b5f602082840312156116a3575f5ffd5b5035919050565b803573ffffffffffffffffffffffffffffffffffffffff811681146116cd575f5ffd5b919050565b5f5f604083850312156116e3575f5ffd5b823591506116f3602084016116aa565b90509250929050565b5f6020828403121561170c575f5ffd5b61161b826116aa565b5f5f5f60408486031215611727575f5ffd5b83358015158114611736575f5ffd5b9250602084013567ffffffffffffffff811115611751575f5ffd5b8401601f81018613611761575f5ffd5b803567ffffffffffffffff811115611777575f5ffd5b8660208260051b840101111561178b575f5ffd5b939660209190910195509293505050565b80357fffff000000000000000000000000000000000000000000000000000000000000811681146116cd575f5ffd5b5f602082840312156117db575f5ffd5b61161b8261179c565b803567ffffffffffffffff811681146116cd575f5ffd5b5f5f5f6040848603121561180d575f5ffd5b611816846117e4565b9250602084013567ffffffffffffffff811115611831575f5ffd5b8401601f81018613611841575f5ffd5b803567ffffffffffffffff811115611857575f5ffd5b86602060a08302840101111561178b575f5ffd5b7f4e487b71000000000000000000000000000000000000000000000000000000005f52603260045260245ffd5b7f4e487b71000000000000000000000000000000000000000000000000000000005f52604160045260245ffd5b7f4e487b71000000000000000000000000000000000000000000000000000000005f52601260045260245ffd5b5f82611900576119006118c5565b500690565b7f4e487b71000000000000000000000000000000000000000000000000000000005f52601160045260245ffd5b5f82611940576119406118c5565b500490565b8082018082111561058f5761058f611905565b5f5f19820361196957611969611905565b5060010190565b831515815260406020820181905281018290525f8360608301825b858110156119d2577fffff0000000000000000000000000000000000000000000000000000000000006119bd8461179c565b1682526020928301929091019060010161198b565b509695505050505050565b5f602082840312156119ed575f5ffd5b61161b826117e4565b5f60208284031215611a06575f5ffd5b813561ffff8116811461161b575f5ffd5b5f60208284031215611a27575f5ffd5b813564ffffffffff8116811461161b575f5ffd5b8181038181111561058f5761058f611905565b808202811582820484141761058f5761058f61190556",
}

// EligibilityRegistry is an auto generated Go binding around an Ethereum contract.
type EligibilityRegistry struct {
	abi abi.ABI
}

// GetABI returns the ABI associated with this contract binding.
func (c *EligibilityRegistry) GetABI() abi.ABI {
	return c.abi
}

// NewEligibilityRegistry creates a new instance of EligibilityRegistry.
func NewEligibilityRegistry() *EligibilityRegistry {
	parsed, err := EligibilityRegistryMetaData.ParseABI()
	if err != nil {
		panic(errors.New("invalid ABI: " + err.Error()))
	}
	return &EligibilityRegistry{abi: *parsed}
}

// Instance creates a wrapper for a deployed contract instance at the given address.
// Use this to create the instance object passed to abigen v2 library functions Call, Transact, etc.
func (c *EligibilityRegistry) Instance(backend bind.ContractBackend, addr common.Address) *bind.BoundContract {
	return bind.NewBoundContract(addr, c.abi, backend, backend, backend)
}

// PackConstructor is the Go binding used to pack the parameters required for
// contract deployment.
//
// Solidity: constructor(address admin, address writer, address pauser) returns()
func (eligibilityRegistry *EligibilityRegistry) PackConstructor(admin common.Address, writer common.Address, pauser common.Address) []byte {
	enc, err := eligibilityRegistry.abi.Pack("", admin, writer, pauser)
	if err != nil {
		panic(err)
	}
	return enc
}

// PackCATEGORYGENERAL is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xbce7ad04.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function CATEGORY_GENERAL() view returns(uint16)
func (eligibilityRegistry *EligibilityRegistry) PackCATEGORYGENERAL() []byte {
	enc, err := eligibilityRegistry.abi.Pack("CATEGORY_GENERAL")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackCATEGORYGENERAL is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xbce7ad04.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function CATEGORY_GENERAL() view returns(uint16)
func (eligibilityRegistry *EligibilityRegistry) TryPackCATEGORYGENERAL() ([]byte, error) {
	return eligibilityRegistry.abi.Pack("CATEGORY_GENERAL")
}

// UnpackCATEGORYGENERAL is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xbce7ad04.
//
// Solidity: function CATEGORY_GENERAL() view returns(uint16)
func (eligibilityRegistry *EligibilityRegistry) UnpackCATEGORYGENERAL(data []byte) (uint16, error) {
	out, err := eligibilityRegistry.abi.Unpack("CATEGORY_GENERAL", data)
	if err != nil {
		return *new(uint16), err
	}
	out0 := *abi.ConvertType(out[0], new(uint16)).(*uint16)
	return out0, nil
}

// PackCATEGORYQII is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x2f407c46.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function CATEGORY_QII() view returns(uint16)
func (eligibilityRegistry *EligibilityRegistry) PackCATEGORYQII() []byte {
	enc, err := eligibilityRegistry.abi.Pack("CATEGORY_QII")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackCATEGORYQII is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x2f407c46.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function CATEGORY_QII() view returns(uint16)
func (eligibilityRegistry *EligibilityRegistry) TryPackCATEGORYQII() ([]byte, error) {
	return eligibilityRegistry.abi.Pack("CATEGORY_QII")
}

// UnpackCATEGORYQII is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x2f407c46.
//
// Solidity: function CATEGORY_QII() view returns(uint16)
func (eligibilityRegistry *EligibilityRegistry) UnpackCATEGORYQII(data []byte) (uint16, error) {
	out, err := eligibilityRegistry.abi.Unpack("CATEGORY_QII", data)
	if err != nil {
		return *new(uint16), err
	}
	out0 := *abi.ConvertType(out[0], new(uint16)).(*uint16)
	return out0, nil
}

// PackCATEGORYSPECIFIEDINVESTOR is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x58495b28.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function CATEGORY_SPECIFIED_INVESTOR() view returns(uint16)
func (eligibilityRegistry *EligibilityRegistry) PackCATEGORYSPECIFIEDINVESTOR() []byte {
	enc, err := eligibilityRegistry.abi.Pack("CATEGORY_SPECIFIED_INVESTOR")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackCATEGORYSPECIFIEDINVESTOR is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x58495b28.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function CATEGORY_SPECIFIED_INVESTOR() view returns(uint16)
func (eligibilityRegistry *EligibilityRegistry) TryPackCATEGORYSPECIFIEDINVESTOR() ([]byte, error) {
	return eligibilityRegistry.abi.Pack("CATEGORY_SPECIFIED_INVESTOR")
}

// UnpackCATEGORYSPECIFIEDINVESTOR is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x58495b28.
//
// Solidity: function CATEGORY_SPECIFIED_INVESTOR() view returns(uint16)
func (eligibilityRegistry *EligibilityRegistry) UnpackCATEGORYSPECIFIEDINVESTOR(data []byte) (uint16, error) {
	out, err := eligibilityRegistry.abi.Unpack("CATEGORY_SPECIFIED_INVESTOR", data)
	if err != nil {
		return *new(uint16), err
	}
	out0 := *abi.ConvertType(out[0], new(uint16)).(*uint16)
	return out0, nil
}

// PackDEFAULTADMINROLE is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xa217fddf.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function DEFAULT_ADMIN_ROLE() view returns(bytes32)
func (eligibilityRegistry *EligibilityRegistry) PackDEFAULTADMINROLE() []byte {
	enc, err := eligibilityRegistry.abi.Pack("DEFAULT_ADMIN_ROLE")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackDEFAULTADMINROLE is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xa217fddf.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function DEFAULT_ADMIN_ROLE() view returns(bytes32)
func (eligibilityRegistry *EligibilityRegistry) TryPackDEFAULTADMINROLE() ([]byte, error) {
	return eligibilityRegistry.abi.Pack("DEFAULT_ADMIN_ROLE")
}

// UnpackDEFAULTADMINROLE is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xa217fddf.
//
// Solidity: function DEFAULT_ADMIN_ROLE() view returns(bytes32)
func (eligibilityRegistry *EligibilityRegistry) UnpackDEFAULTADMINROLE(data []byte) ([32]byte, error) {
	out, err := eligibilityRegistry.abi.Unpack("DEFAULT_ADMIN_ROLE", data)
	if err != nil {
		return *new([32]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)
	return out0, nil
}

// PackPAUSERROLE is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xe63ab1e9.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function PAUSER_ROLE() view returns(bytes32)
func (eligibilityRegistry *EligibilityRegistry) PackPAUSERROLE() []byte {
	enc, err := eligibilityRegistry.abi.Pack("PAUSER_ROLE")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackPAUSERROLE is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xe63ab1e9.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function PAUSER_ROLE() view returns(bytes32)
func (eligibilityRegistry *EligibilityRegistry) TryPackPAUSERROLE() ([]byte, error) {
	return eligibilityRegistry.abi.Pack("PAUSER_ROLE")
}

// UnpackPAUSERROLE is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xe63ab1e9.
//
// Solidity: function PAUSER_ROLE() view returns(bytes32)
func (eligibilityRegistry *EligibilityRegistry) UnpackPAUSERROLE(data []byte) ([32]byte, error) {
	out, err := eligibilityRegistry.abi.Unpack("PAUSER_ROLE", data)
	if err != nil {
		return *new([32]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)
	return out0, nil
}

// PackWRITERROLE is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x9beaab7b.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function WRITER_ROLE() view returns(bytes32)
func (eligibilityRegistry *EligibilityRegistry) PackWRITERROLE() []byte {
	enc, err := eligibilityRegistry.abi.Pack("WRITER_ROLE")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackWRITERROLE is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x9beaab7b.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function WRITER_ROLE() view returns(bytes32)
func (eligibilityRegistry *EligibilityRegistry) TryPackWRITERROLE() ([]byte, error) {
	return eligibilityRegistry.abi.Pack("WRITER_ROLE")
}

// UnpackWRITERROLE is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x9beaab7b.
//
// Solidity: function WRITER_ROLE() view returns(bytes32)
func (eligibilityRegistry *EligibilityRegistry) UnpackWRITERROLE(data []byte) ([32]byte, error) {
	out, err := eligibilityRegistry.abi.Unpack("WRITER_ROLE", data)
	if err != nil {
		return *new([32]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)
	return out0, nil
}

// PackApplyBatch is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xfac14980.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function applyBatch(uint64 expectedSeq, (address,uint64,bytes2,uint16,uint40)[] entries) returns(uint64 newSeq)
func (eligibilityRegistry *EligibilityRegistry) PackApplyBatch(expectedSeq uint64, entries []EligibilityRegistryEntry) []byte {
	enc, err := eligibilityRegistry.abi.Pack("applyBatch", expectedSeq, entries)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackApplyBatch is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xfac14980.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function applyBatch(uint64 expectedSeq, (address,uint64,bytes2,uint16,uint40)[] entries) returns(uint64 newSeq)
func (eligibilityRegistry *EligibilityRegistry) TryPackApplyBatch(expectedSeq uint64, entries []EligibilityRegistryEntry) ([]byte, error) {
	return eligibilityRegistry.abi.Pack("applyBatch", expectedSeq, entries)
}

// UnpackApplyBatch is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xfac14980.
//
// Solidity: function applyBatch(uint64 expectedSeq, (address,uint64,bytes2,uint16,uint40)[] entries) returns(uint64 newSeq)
func (eligibilityRegistry *EligibilityRegistry) UnpackApplyBatch(data []byte) (uint64, error) {
	out, err := eligibilityRegistry.abi.Unpack("applyBatch", data)
	if err != nil {
		return *new(uint64), err
	}
	out0 := *abi.ConvertType(out[0], new(uint64)).(*uint64)
	return out0, nil
}

// PackCheckReceiver is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x3dd00861.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function checkReceiver(address wallet) view returns(uint8)
func (eligibilityRegistry *EligibilityRegistry) PackCheckReceiver(wallet common.Address) []byte {
	enc, err := eligibilityRegistry.abi.Pack("checkReceiver", wallet)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackCheckReceiver is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x3dd00861.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function checkReceiver(address wallet) view returns(uint8)
func (eligibilityRegistry *EligibilityRegistry) TryPackCheckReceiver(wallet common.Address) ([]byte, error) {
	return eligibilityRegistry.abi.Pack("checkReceiver", wallet)
}

// UnpackCheckReceiver is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x3dd00861.
//
// Solidity: function checkReceiver(address wallet) view returns(uint8)
func (eligibilityRegistry *EligibilityRegistry) UnpackCheckReceiver(data []byte) (uint8, error) {
	out, err := eligibilityRegistry.abi.Unpack("checkReceiver", data)
	if err != nil {
		return *new(uint8), err
	}
	out0 := *abi.ConvertType(out[0], new(uint8)).(*uint8)
	return out0, nil
}

// PackCountryAllowed is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xc1235a76.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function countryAllowed(bytes2 country) view returns(bool)
func (eligibilityRegistry *EligibilityRegistry) PackCountryAllowed(country [2]byte) []byte {
	enc, err := eligibilityRegistry.abi.Pack("countryAllowed", country)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackCountryAllowed is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xc1235a76.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function countryAllowed(bytes2 country) view returns(bool)
func (eligibilityRegistry *EligibilityRegistry) TryPackCountryAllowed(country [2]byte) ([]byte, error) {
	return eligibilityRegistry.abi.Pack("countryAllowed", country)
}

// UnpackCountryAllowed is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xc1235a76.
//
// Solidity: function countryAllowed(bytes2 country) view returns(bool)
func (eligibilityRegistry *EligibilityRegistry) UnpackCountryAllowed(data []byte) (bool, error) {
	out, err := eligibilityRegistry.abi.Unpack("countryAllowed", data)
	if err != nil {
		return *new(bool), err
	}
	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)
	return out0, nil
}

// PackCountryRule is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x1a8f7c6b.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function countryRule() view returns(bool allowList, bytes2[] countries)
func (eligibilityRegistry *EligibilityRegistry) PackCountryRule() []byte {
	enc, err := eligibilityRegistry.abi.Pack("countryRule")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackCountryRule is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x1a8f7c6b.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function countryRule() view returns(bool allowList, bytes2[] countries)
func (eligibilityRegistry *EligibilityRegistry) TryPackCountryRule() ([]byte, error) {
	return eligibilityRegistry.abi.Pack("countryRule")
}

// CountryRuleOutput serves as a container for the return parameters of contract
// method CountryRule.
type CountryRuleOutput struct {
	AllowList bool
	Countries [][2]byte
}

// UnpackCountryRule is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x1a8f7c6b.
//
// Solidity: function countryRule() view returns(bool allowList, bytes2[] countries)
func (eligibilityRegistry *EligibilityRegistry) UnpackCountryRule(data []byte) (CountryRuleOutput, error) {
	out, err := eligibilityRegistry.abi.Unpack("countryRule", data)
	outstruct := new(CountryRuleOutput)
	if err != nil {
		return *outstruct, err
	}
	outstruct.AllowList = *abi.ConvertType(out[0], new(bool)).(*bool)
	outstruct.Countries = *abi.ConvertType(out[1], new([][2]byte)).(*[][2]byte)
	return *outstruct, nil
}

// PackGetRoleAdmin is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x248a9ca3.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function getRoleAdmin(bytes32 role) view returns(bytes32)
func (eligibilityRegistry *EligibilityRegistry) PackGetRoleAdmin(role [32]byte) []byte {
	enc, err := eligibilityRegistry.abi.Pack("getRoleAdmin", role)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackGetRoleAdmin is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x248a9ca3.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function getRoleAdmin(bytes32 role) view returns(bytes32)
func (eligibilityRegistry *EligibilityRegistry) TryPackGetRoleAdmin(role [32]byte) ([]byte, error) {
	return eligibilityRegistry.abi.Pack("getRoleAdmin", role)
}

// UnpackGetRoleAdmin is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x248a9ca3.
//
// Solidity: function getRoleAdmin(bytes32 role) view returns(bytes32)
func (eligibilityRegistry *EligibilityRegistry) UnpackGetRoleAdmin(data []byte) ([32]byte, error) {
	out, err := eligibilityRegistry.abi.Unpack("getRoleAdmin", data)
	if err != nil {
		return *new([32]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)
	return out0, nil
}

// PackGrantRole is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x2f2ff15d.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function grantRole(bytes32 role, address account) returns()
func (eligibilityRegistry *EligibilityRegistry) PackGrantRole(role [32]byte, account common.Address) []byte {
	enc, err := eligibilityRegistry.abi.Pack("grantRole", role, account)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackGrantRole is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x2f2ff15d.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function grantRole(bytes32 role, address account) returns()
func (eligibilityRegistry *EligibilityRegistry) TryPackGrantRole(role [32]byte, account common.Address) ([]byte, error) {
	return eligibilityRegistry.abi.Pack("grantRole", role, account)
}

// PackHasRole is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x91d14854.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function hasRole(bytes32 role, address account) view returns(bool)
func (eligibilityRegistry *EligibilityRegistry) PackHasRole(role [32]byte, account common.Address) []byte {
	enc, err := eligibilityRegistry.abi.Pack("hasRole", role, account)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackHasRole is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x91d14854.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function hasRole(bytes32 role, address account) view returns(bool)
func (eligibilityRegistry *EligibilityRegistry) TryPackHasRole(role [32]byte, account common.Address) ([]byte, error) {
	return eligibilityRegistry.abi.Pack("hasRole", role, account)
}

// UnpackHasRole is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x91d14854.
//
// Solidity: function hasRole(bytes32 role, address account) view returns(bool)
func (eligibilityRegistry *EligibilityRegistry) UnpackHasRole(data []byte) (bool, error) {
	out, err := eligibilityRegistry.abi.Unpack("hasRole", data)
	if err != nil {
		return *new(bool), err
	}
	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)
	return out0, nil
}

// PackIsEligible is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x66e305fd.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function isEligible(address wallet) view returns(bool)
func (eligibilityRegistry *EligibilityRegistry) PackIsEligible(wallet common.Address) []byte {
	enc, err := eligibilityRegistry.abi.Pack("isEligible", wallet)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackIsEligible is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x66e305fd.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function isEligible(address wallet) view returns(bool)
func (eligibilityRegistry *EligibilityRegistry) TryPackIsEligible(wallet common.Address) ([]byte, error) {
	return eligibilityRegistry.abi.Pack("isEligible", wallet)
}

// UnpackIsEligible is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x66e305fd.
//
// Solidity: function isEligible(address wallet) view returns(bool)
func (eligibilityRegistry *EligibilityRegistry) UnpackIsEligible(data []byte) (bool, error) {
	out, err := eligibilityRegistry.abi.Unpack("isEligible", data)
	if err != nil {
		return *new(bool), err
	}
	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)
	return out0, nil
}

// PackPause is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x8456cb59.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function pause() returns()
func (eligibilityRegistry *EligibilityRegistry) PackPause() []byte {
	enc, err := eligibilityRegistry.abi.Pack("pause")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackPause is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x8456cb59.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function pause() returns()
func (eligibilityRegistry *EligibilityRegistry) TryPackPause() ([]byte, error) {
	return eligibilityRegistry.abi.Pack("pause")
}

// PackPaused is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x5c975abb.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function paused() view returns(bool)
func (eligibilityRegistry *EligibilityRegistry) PackPaused() []byte {
	enc, err := eligibilityRegistry.abi.Pack("paused")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackPaused is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x5c975abb.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function paused() view returns(bool)
func (eligibilityRegistry *EligibilityRegistry) TryPackPaused() ([]byte, error) {
	return eligibilityRegistry.abi.Pack("paused")
}

// UnpackPaused is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x5c975abb.
//
// Solidity: function paused() view returns(bool)
func (eligibilityRegistry *EligibilityRegistry) UnpackPaused(data []byte) (bool, error) {
	out, err := eligibilityRegistry.abi.Unpack("paused", data)
	if err != nil {
		return *new(bool), err
	}
	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)
	return out0, nil
}

// PackRecordOf is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xc06ac6a3.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function recordOf(address wallet) view returns((uint64,bytes2,uint16,uint40))
func (eligibilityRegistry *EligibilityRegistry) PackRecordOf(wallet common.Address) []byte {
	enc, err := eligibilityRegistry.abi.Pack("recordOf", wallet)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackRecordOf is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xc06ac6a3.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function recordOf(address wallet) view returns((uint64,bytes2,uint16,uint40))
func (eligibilityRegistry *EligibilityRegistry) TryPackRecordOf(wallet common.Address) ([]byte, error) {
	return eligibilityRegistry.abi.Pack("recordOf", wallet)
}

// UnpackRecordOf is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xc06ac6a3.
//
// Solidity: function recordOf(address wallet) view returns((uint64,bytes2,uint16,uint40))
func (eligibilityRegistry *EligibilityRegistry) UnpackRecordOf(data []byte) (EligibilityRegistryRecord, error) {
	out, err := eligibilityRegistry.abi.Unpack("recordOf", data)
	if err != nil {
		return *new(EligibilityRegistryRecord), err
	}
	out0 := *abi.ConvertType(out[0], new(EligibilityRegistryRecord)).(*EligibilityRegistryRecord)
	return out0, nil
}

// PackRenounceRole is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x36568abe.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function renounceRole(bytes32 role, address callerConfirmation) returns()
func (eligibilityRegistry *EligibilityRegistry) PackRenounceRole(role [32]byte, callerConfirmation common.Address) []byte {
	enc, err := eligibilityRegistry.abi.Pack("renounceRole", role, callerConfirmation)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackRenounceRole is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x36568abe.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function renounceRole(bytes32 role, address callerConfirmation) returns()
func (eligibilityRegistry *EligibilityRegistry) TryPackRenounceRole(role [32]byte, callerConfirmation common.Address) ([]byte, error) {
	return eligibilityRegistry.abi.Pack("renounceRole", role, callerConfirmation)
}

// PackRevokeRole is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xd547741f.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function revokeRole(bytes32 role, address account) returns()
func (eligibilityRegistry *EligibilityRegistry) PackRevokeRole(role [32]byte, account common.Address) []byte {
	enc, err := eligibilityRegistry.abi.Pack("revokeRole", role, account)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackRevokeRole is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xd547741f.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function revokeRole(bytes32 role, address account) returns()
func (eligibilityRegistry *EligibilityRegistry) TryPackRevokeRole(role [32]byte, account common.Address) ([]byte, error) {
	return eligibilityRegistry.abi.Pack("revokeRole", role, account)
}

// PackSeq is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x6857ab40.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function seq() view returns(uint64)
func (eligibilityRegistry *EligibilityRegistry) PackSeq() []byte {
	enc, err := eligibilityRegistry.abi.Pack("seq")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackSeq is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x6857ab40.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function seq() view returns(uint64)
func (eligibilityRegistry *EligibilityRegistry) TryPackSeq() ([]byte, error) {
	return eligibilityRegistry.abi.Pack("seq")
}

// UnpackSeq is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x6857ab40.
//
// Solidity: function seq() view returns(uint64)
func (eligibilityRegistry *EligibilityRegistry) UnpackSeq(data []byte) (uint64, error) {
	out, err := eligibilityRegistry.abi.Unpack("seq", data)
	if err != nil {
		return *new(uint64), err
	}
	out0 := *abi.ConvertType(out[0], new(uint64)).(*uint64)
	return out0, nil
}

// PackSetCountryRule is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x7a27fca6.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function setCountryRule(bool allowList, bytes2[] countries) returns()
func (eligibilityRegistry *EligibilityRegistry) PackSetCountryRule(allowList bool, countries [][2]byte) []byte {
	enc, err := eligibilityRegistry.abi.Pack("setCountryRule", allowList, countries)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackSetCountryRule is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x7a27fca6.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function setCountryRule(bool allowList, bytes2[] countries) returns()
func (eligibilityRegistry *EligibilityRegistry) TryPackSetCountryRule(allowList bool, countries [][2]byte) ([]byte, error) {
	return eligibilityRegistry.abi.Pack("setCountryRule", allowList, countries)
}

// PackSupportsInterface is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x01ffc9a7.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function supportsInterface(bytes4 interfaceId) view returns(bool)
func (eligibilityRegistry *EligibilityRegistry) PackSupportsInterface(interfaceId [4]byte) []byte {
	enc, err := eligibilityRegistry.abi.Pack("supportsInterface", interfaceId)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackSupportsInterface is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x01ffc9a7.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function supportsInterface(bytes4 interfaceId) view returns(bool)
func (eligibilityRegistry *EligibilityRegistry) TryPackSupportsInterface(interfaceId [4]byte) ([]byte, error) {
	return eligibilityRegistry.abi.Pack("supportsInterface", interfaceId)
}

// UnpackSupportsInterface is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x01ffc9a7.
//
// Solidity: function supportsInterface(bytes4 interfaceId) view returns(bool)
func (eligibilityRegistry *EligibilityRegistry) UnpackSupportsInterface(data []byte) (bool, error) {
	out, err := eligibilityRegistry.abi.Unpack("supportsInterface", data)
	if err != nil {
		return *new(bool), err
	}
	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)
	return out0, nil
}

// PackUnpause is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x3f4ba83a.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function unpause() returns()
func (eligibilityRegistry *EligibilityRegistry) PackUnpause() []byte {
	enc, err := eligibilityRegistry.abi.Pack("unpause")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackUnpause is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x3f4ba83a.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function unpause() returns()
func (eligibilityRegistry *EligibilityRegistry) TryPackUnpause() ([]byte, error) {
	return eligibilityRegistry.abi.Pack("unpause")
}

// EligibilityRegistryBatchApplied represents a BatchApplied event raised by the EligibilityRegistry contract.
type EligibilityRegistryBatchApplied struct {
	Seq     uint64
	Entries *big.Int
	Raw     *types.Log // Blockchain specific contextual infos
}

const EligibilityRegistryBatchAppliedEventName = "BatchApplied"

// ContractEventName returns the user-defined event name.
func (EligibilityRegistryBatchApplied) ContractEventName() string {
	return EligibilityRegistryBatchAppliedEventName
}

// UnpackBatchAppliedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event BatchApplied(uint64 indexed seq, uint256 entries)
func (eligibilityRegistry *EligibilityRegistry) UnpackBatchAppliedEvent(log *types.Log) (*EligibilityRegistryBatchApplied, error) {
	event := "BatchApplied"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != eligibilityRegistry.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(EligibilityRegistryBatchApplied)
	if len(log.Data) > 0 {
		if err := eligibilityRegistry.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range eligibilityRegistry.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// EligibilityRegistryCountryRuleSet represents a CountryRuleSet event raised by the EligibilityRegistry contract.
type EligibilityRegistryCountryRuleSet struct {
	AllowList bool
	Countries [][2]byte
	Raw       *types.Log // Blockchain specific contextual infos
}

const EligibilityRegistryCountryRuleSetEventName = "CountryRuleSet"

// ContractEventName returns the user-defined event name.
func (EligibilityRegistryCountryRuleSet) ContractEventName() string {
	return EligibilityRegistryCountryRuleSetEventName
}

// UnpackCountryRuleSetEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event CountryRuleSet(bool allowList, bytes2[] countries)
func (eligibilityRegistry *EligibilityRegistry) UnpackCountryRuleSetEvent(log *types.Log) (*EligibilityRegistryCountryRuleSet, error) {
	event := "CountryRuleSet"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != eligibilityRegistry.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(EligibilityRegistryCountryRuleSet)
	if len(log.Data) > 0 {
		if err := eligibilityRegistry.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range eligibilityRegistry.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// EligibilityRegistryEligibilitySet represents a EligibilitySet event raised by the EligibilityRegistry contract.
type EligibilityRegistryEligibilitySet struct {
	Wallet     common.Address
	InvestorId uint64
	Country    [2]byte
	Categories uint16
	ValidUntil *big.Int
	Raw        *types.Log // Blockchain specific contextual infos
}

const EligibilityRegistryEligibilitySetEventName = "EligibilitySet"

// ContractEventName returns the user-defined event name.
func (EligibilityRegistryEligibilitySet) ContractEventName() string {
	return EligibilityRegistryEligibilitySetEventName
}

// UnpackEligibilitySetEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event EligibilitySet(address indexed wallet, uint64 indexed investorId, bytes2 country, uint16 categories, uint40 validUntil)
func (eligibilityRegistry *EligibilityRegistry) UnpackEligibilitySetEvent(log *types.Log) (*EligibilityRegistryEligibilitySet, error) {
	event := "EligibilitySet"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != eligibilityRegistry.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(EligibilityRegistryEligibilitySet)
	if len(log.Data) > 0 {
		if err := eligibilityRegistry.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range eligibilityRegistry.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// EligibilityRegistryPaused represents a Paused event raised by the EligibilityRegistry contract.
type EligibilityRegistryPaused struct {
	Account common.Address
	Raw     *types.Log // Blockchain specific contextual infos
}

const EligibilityRegistryPausedEventName = "Paused"

// ContractEventName returns the user-defined event name.
func (EligibilityRegistryPaused) ContractEventName() string {
	return EligibilityRegistryPausedEventName
}

// UnpackPausedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event Paused(address account)
func (eligibilityRegistry *EligibilityRegistry) UnpackPausedEvent(log *types.Log) (*EligibilityRegistryPaused, error) {
	event := "Paused"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != eligibilityRegistry.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(EligibilityRegistryPaused)
	if len(log.Data) > 0 {
		if err := eligibilityRegistry.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range eligibilityRegistry.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// EligibilityRegistryRoleAdminChanged represents a RoleAdminChanged event raised by the EligibilityRegistry contract.
type EligibilityRegistryRoleAdminChanged struct {
	Role              [32]byte
	PreviousAdminRole [32]byte
	NewAdminRole      [32]byte
	Raw               *types.Log // Blockchain specific contextual infos
}

const EligibilityRegistryRoleAdminChangedEventName = "RoleAdminChanged"

// ContractEventName returns the user-defined event name.
func (EligibilityRegistryRoleAdminChanged) ContractEventName() string {
	return EligibilityRegistryRoleAdminChangedEventName
}

// UnpackRoleAdminChangedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event RoleAdminChanged(bytes32 indexed role, bytes32 indexed previousAdminRole, bytes32 indexed newAdminRole)
func (eligibilityRegistry *EligibilityRegistry) UnpackRoleAdminChangedEvent(log *types.Log) (*EligibilityRegistryRoleAdminChanged, error) {
	event := "RoleAdminChanged"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != eligibilityRegistry.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(EligibilityRegistryRoleAdminChanged)
	if len(log.Data) > 0 {
		if err := eligibilityRegistry.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range eligibilityRegistry.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// EligibilityRegistryRoleGranted represents a RoleGranted event raised by the EligibilityRegistry contract.
type EligibilityRegistryRoleGranted struct {
	Role    [32]byte
	Account common.Address
	Sender  common.Address
	Raw     *types.Log // Blockchain specific contextual infos
}

const EligibilityRegistryRoleGrantedEventName = "RoleGranted"

// ContractEventName returns the user-defined event name.
func (EligibilityRegistryRoleGranted) ContractEventName() string {
	return EligibilityRegistryRoleGrantedEventName
}

// UnpackRoleGrantedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event RoleGranted(bytes32 indexed role, address indexed account, address indexed sender)
func (eligibilityRegistry *EligibilityRegistry) UnpackRoleGrantedEvent(log *types.Log) (*EligibilityRegistryRoleGranted, error) {
	event := "RoleGranted"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != eligibilityRegistry.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(EligibilityRegistryRoleGranted)
	if len(log.Data) > 0 {
		if err := eligibilityRegistry.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range eligibilityRegistry.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// EligibilityRegistryRoleRevoked represents a RoleRevoked event raised by the EligibilityRegistry contract.
type EligibilityRegistryRoleRevoked struct {
	Role    [32]byte
	Account common.Address
	Sender  common.Address
	Raw     *types.Log // Blockchain specific contextual infos
}

const EligibilityRegistryRoleRevokedEventName = "RoleRevoked"

// ContractEventName returns the user-defined event name.
func (EligibilityRegistryRoleRevoked) ContractEventName() string {
	return EligibilityRegistryRoleRevokedEventName
}

// UnpackRoleRevokedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event RoleRevoked(bytes32 indexed role, address indexed account, address indexed sender)
func (eligibilityRegistry *EligibilityRegistry) UnpackRoleRevokedEvent(log *types.Log) (*EligibilityRegistryRoleRevoked, error) {
	event := "RoleRevoked"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != eligibilityRegistry.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(EligibilityRegistryRoleRevoked)
	if len(log.Data) > 0 {
		if err := eligibilityRegistry.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range eligibilityRegistry.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// EligibilityRegistryUnpaused represents a Unpaused event raised by the EligibilityRegistry contract.
type EligibilityRegistryUnpaused struct {
	Account common.Address
	Raw     *types.Log // Blockchain specific contextual infos
}

const EligibilityRegistryUnpausedEventName = "Unpaused"

// ContractEventName returns the user-defined event name.
func (EligibilityRegistryUnpaused) ContractEventName() string {
	return EligibilityRegistryUnpausedEventName
}

// UnpackUnpausedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event Unpaused(address account)
func (eligibilityRegistry *EligibilityRegistry) UnpackUnpausedEvent(log *types.Log) (*EligibilityRegistryUnpaused, error) {
	event := "Unpaused"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != eligibilityRegistry.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(EligibilityRegistryUnpaused)
	if len(log.Data) > 0 {
		if err := eligibilityRegistry.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range eligibilityRegistry.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// UnpackError attempts to decode the provided error data using user-defined
// error definitions.
func (eligibilityRegistry *EligibilityRegistry) UnpackError(raw []byte) (any, error) {
	if bytes.Equal(raw[:4], eligibilityRegistry.abi.Errors["AccessControlBadConfirmation"].ID.Bytes()[:4]) {
		return eligibilityRegistry.UnpackAccessControlBadConfirmationError(raw[4:])
	}
	if bytes.Equal(raw[:4], eligibilityRegistry.abi.Errors["AccessControlUnauthorizedAccount"].ID.Bytes()[:4]) {
		return eligibilityRegistry.UnpackAccessControlUnauthorizedAccountError(raw[4:])
	}
	if bytes.Equal(raw[:4], eligibilityRegistry.abi.Errors["InvalidCountry"].ID.Bytes()[:4]) {
		return eligibilityRegistry.UnpackInvalidCountryError(raw[4:])
	}
	if bytes.Equal(raw[:4], eligibilityRegistry.abi.Errors["SequenceMismatch"].ID.Bytes()[:4]) {
		return eligibilityRegistry.UnpackSequenceMismatchError(raw[4:])
	}
	if bytes.Equal(raw[:4], eligibilityRegistry.abi.Errors["WritesPaused"].ID.Bytes()[:4]) {
		return eligibilityRegistry.UnpackWritesPausedError(raw[4:])
	}
	if bytes.Equal(raw[:4], eligibilityRegistry.abi.Errors["ZeroWallet"].ID.Bytes()[:4]) {
		return eligibilityRegistry.UnpackZeroWalletError(raw[4:])
	}
	return nil, errors.New("Unknown error")
}

// EligibilityRegistryAccessControlBadConfirmation represents a AccessControlBadConfirmation error raised by the EligibilityRegistry contract.
type EligibilityRegistryAccessControlBadConfirmation struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error AccessControlBadConfirmation()
func EligibilityRegistryAccessControlBadConfirmationErrorID() common.Hash {
	return common.HexToHash("0x6697b23232a647058342c0724fe7c415cab25915b54e5dbc03f233173d37b41c")
}

// UnpackAccessControlBadConfirmationError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error AccessControlBadConfirmation()
func (eligibilityRegistry *EligibilityRegistry) UnpackAccessControlBadConfirmationError(raw []byte) (*EligibilityRegistryAccessControlBadConfirmation, error) {
	out := new(EligibilityRegistryAccessControlBadConfirmation)
	if err := eligibilityRegistry.abi.UnpackIntoInterface(out, "AccessControlBadConfirmation", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// EligibilityRegistryAccessControlUnauthorizedAccount represents a AccessControlUnauthorizedAccount error raised by the EligibilityRegistry contract.
type EligibilityRegistryAccessControlUnauthorizedAccount struct {
	Account    common.Address
	NeededRole [32]byte
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error AccessControlUnauthorizedAccount(address account, bytes32 neededRole)
func EligibilityRegistryAccessControlUnauthorizedAccountErrorID() common.Hash {
	return common.HexToHash("0xe2517d3fbfae6f8515ef5ff1ccedc3933ab0cbbda0b492c06eb54ad10ef03b3e")
}

// UnpackAccessControlUnauthorizedAccountError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error AccessControlUnauthorizedAccount(address account, bytes32 neededRole)
func (eligibilityRegistry *EligibilityRegistry) UnpackAccessControlUnauthorizedAccountError(raw []byte) (*EligibilityRegistryAccessControlUnauthorizedAccount, error) {
	out := new(EligibilityRegistryAccessControlUnauthorizedAccount)
	if err := eligibilityRegistry.abi.UnpackIntoInterface(out, "AccessControlUnauthorizedAccount", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// EligibilityRegistryInvalidCountry represents a InvalidCountry error raised by the EligibilityRegistry contract.
type EligibilityRegistryInvalidCountry struct {
	Country [2]byte
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error InvalidCountry(bytes2 country)
func EligibilityRegistryInvalidCountryErrorID() common.Hash {
	return common.HexToHash("0x660b00154dbd5da8400330031d3d409e86b2fa69d4ce59d0694c9dd886c9f7bf")
}

// UnpackInvalidCountryError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error InvalidCountry(bytes2 country)
func (eligibilityRegistry *EligibilityRegistry) UnpackInvalidCountryError(raw []byte) (*EligibilityRegistryInvalidCountry, error) {
	out := new(EligibilityRegistryInvalidCountry)
	if err := eligibilityRegistry.abi.UnpackIntoInterface(out, "InvalidCountry", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// EligibilityRegistrySequenceMismatch represents a SequenceMismatch error raised by the EligibilityRegistry contract.
type EligibilityRegistrySequenceMismatch struct {
	Expected uint64
	Actual   uint64
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error SequenceMismatch(uint64 expected, uint64 actual)
func EligibilityRegistrySequenceMismatchErrorID() common.Hash {
	return common.HexToHash("0x7d7ed6539b2d9446eb68e753eca3a5b3a05895bb2e578dc31508855e6da692c7")
}

// UnpackSequenceMismatchError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error SequenceMismatch(uint64 expected, uint64 actual)
func (eligibilityRegistry *EligibilityRegistry) UnpackSequenceMismatchError(raw []byte) (*EligibilityRegistrySequenceMismatch, error) {
	out := new(EligibilityRegistrySequenceMismatch)
	if err := eligibilityRegistry.abi.UnpackIntoInterface(out, "SequenceMismatch", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// EligibilityRegistryWritesPaused represents a WritesPaused error raised by the EligibilityRegistry contract.
type EligibilityRegistryWritesPaused struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error WritesPaused()
func EligibilityRegistryWritesPausedErrorID() common.Hash {
	return common.HexToHash("0x86760b86b46c10224cfb56f20e354e42923d2a12ff7c98f67f3b45fe6369ab9e")
}

// UnpackWritesPausedError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error WritesPaused()
func (eligibilityRegistry *EligibilityRegistry) UnpackWritesPausedError(raw []byte) (*EligibilityRegistryWritesPaused, error) {
	out := new(EligibilityRegistryWritesPaused)
	if err := eligibilityRegistry.abi.UnpackIntoInterface(out, "WritesPaused", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// EligibilityRegistryZeroWallet represents a ZeroWallet error raised by the EligibilityRegistry contract.
type EligibilityRegistryZeroWallet struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error ZeroWallet()
func EligibilityRegistryZeroWalletErrorID() common.Hash {
	return common.HexToHash("0x2033e238f182fe0828b491436090386027ebcd6fdf754761ced23cb6a134c921")
}

// UnpackZeroWalletError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error ZeroWallet()
func (eligibilityRegistry *EligibilityRegistry) UnpackZeroWalletError(raw []byte) (*EligibilityRegistryZeroWallet, error) {
	out := new(EligibilityRegistryZeroWallet)
	if err := eligibilityRegistry.abi.UnpackIntoInterface(out, "ZeroWallet", raw); err != nil {
		return nil, err
	}
	return out, nil
}
