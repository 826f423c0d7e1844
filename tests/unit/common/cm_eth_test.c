/*
 * cm_eth_test.c: unit tests for common/cm_eth.c: EIP-55 parsing and
 * formatting, EIP-191 hashing, recovery of signatures made by a real
 * wallet library (ethers), the strictness rules of cm_eth_recover, and
 * that cm_eth_personal_sign reproduces ethers' RFC 6979 signatures.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "cm_eth.h"
#include "cm_hex.h"

struct sig_vec {
	const char *key;   // hex secret key
	const char *addr;  // EIP-55 address of key
	const char *msg;
	size_t msglen;
	const char *hash;  // hex EIP-191 hash of msg
	const char *sig;   // 0x r || s || v
};

/*
 * SIWE messages made by the npm package siwe 2.3.2
 * (SiweMessage.prepareMessage(), node v20.20.2) and accepted by its own
 * parser.
 */
static const char siwe_js_1[] =
    "play.example.com wants you to sign in with your Ethereum"
    " account:\n"
    "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266\n"
    "\n"
    "Sign in to Nemeth's Domain.\n"
    "\n"
    "URI: https://play.example.com/login\n"
    "Version: 1\n"
    "Chain ID: 8453\n"
    "Nonce: k3Jd9QmZ2pX7\n"
    "Issued At: 2026-11-25T10:00:00.000Z\n"
    "Expiration Time: 2026-11-25T10:05:00.000Z\n"
    "Not Before: 2026-11-25T09:59:00Z\n"
    "Request ID: req-42\n"
    "Resources:\n"
    "- ipfs://bafybeiemxf5abjwjbikoz4mc3a3dla6ual3jsgpdr4cjr3"
    "oz3evfyavhwq/\n"
    "- https://example.com/my-web2-claim.json";

static const char siwe_js_2[] =
    "localhost:8080 wants you to sign in with your Ethereum a"
    "ccount:\n"
    "0x2c7536E3605D9C16a7a3D7b1898e529396a65c23\n"
    "\n"
    "\n"
    "URI: http://localhost:8080/\n"
    "Version: 1\n"
    "Chain ID: 84532\n"
    "Nonce: abcdefgh12345678\n"
    "Issued At: 2026-01-31T23:59:59+02:00";

static const char siwe_js_3[] =
    "https://example.com wants you to sign in with your Ether"
    "eum account:\n"
    "0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf\n"
    "\n"
    "I accept the ExampleOrg Terms of Service: https://exampl"
    "e.com/tos\n"
    "\n"
    "URI: https://example.com/login\n"
    "Version: 1\n"
    "Chain ID: 1\n"
    "Nonce: 32891756\n"
    "Issued At: 2021-09-30T16:25:24Z\n"
    "Resources:\n"
    "- ipfs://bafybeiemxf5abjwjbikoz4mc3a3dla6ual3jsgpdr4cjr3"
    "oz3evfyavhwq/";

/*
 * Signatures made by ethers 6.17.0 Wallet.signMessage (node v20.20.2) and
 * checked with ethers.verifyMessage; hash is ethers.hashMessage.
 */
static const struct sig_vec sig_vecs[] = {
	{
	    "ac0974bec39a17e36ba4a6b4d238ff94"
	    "4bacb478cbed5efcae784d7bf4f2ff80",
	    "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266",
	    "hello world", 11,
	    "d9eba16ed0ecae432b71fe008c98cc87"
	    "2bb4cc214d3220a36f365326cf807d68",
	    "0xa461f509887bd19e312c0c58467ce8ff"
	    "8e300d3c1a90b608a760c5b80318eaf1"
	    "5fe57c96f9175d6cd4daad4663763baa"
	    "7e78836e067d0163e9a2ccf2ff753f5b"
	    "1b",
	},
	{
	    "ac0974bec39a17e36ba4a6b4d238ff94"
	    "4bacb478cbed5efcae784d7bf4f2ff80",
	    "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266",
	    "", 0,
	    "5f35dce98ba4fba25530a026ed80b2ce"
	    "cdaa31091ba4958b99b52ea1d068adad",
	    "0xc1977b761f1dd36c29795783460d2418"
	    "85c8e7f9d962dbe7bba2753fd94e89b4"
	    "44a1cd9ed855dd09afa3b73f7c2bd097"
	    "ec9abc2d2775d737505a02d3f0cafa59"
	    "1b",
	},
	{
	    "ac0974bec39a17e36ba4a6b4d238ff94"
	    "4bacb478cbed5efcae784d7bf4f2ff80",
	    "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266",
	    "line one\n"
	    "line two\n"
	    "\n"
	    "line four\n", 29,
	    "b0b4f10ba8e78c20d721992b767649a7"
	    "246247bfd9b64e723fdff81848ec8799",
	    "0x5b126de538e6709af88e8105fb5a7b73"
	    "4917a9a0fed8db1efbeb35176a8025eb"
	    "340b89770c87c0097a5aa3b26e3aabc5"
	    "2d4f60441d1e36348c59dd1a4600684b"
	    "1c",
	},
	{
	    "ac0974bec39a17e36ba4a6b4d238ff94"
	    "4bacb478cbed5efcae784d7bf4f2ff80",
	    "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266",
	    "h\303\251llo \342\234\223", 10,
	    "a92524dcf72de9f2771f170e519c7fcc"
	    "3305b814c130bfe3cf288b3d4b8d5906",
	    "0x7b2c6bb34ec69fd5f66c802d7300a2a8"
	    "205700e233478bbd197f91f39e9c4d99"
	    "16c7430ee22270314a07105c2a807130"
	    "e3dc8f1a74b186e863c49cdd977a7fbf"
	    "1b",
	},
	{
	    "ac0974bec39a17e36ba4a6b4d238ff94"
	    "4bacb478cbed5efcae784d7bf4f2ff80",
	    "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266",
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	    "xxxxxxxxxxxxxxxxxxxx", 300,
	    "ef5034cceedafbb2fbdcf11074a6654a"
	    "b170406a79b828e13106e9e85edead58",
	    "0x6af1f9b153580fd194df454e14e5ff84"
	    "1c6051913c3ddb2b5d1fe0f306af4537"
	    "355c2b89806789c98f17bfe847efac7f"
	    "070901b91c5ad8ca10ed4ffa2dd6dd0e"
	    "1b",
	},
	{
	    "ac0974bec39a17e36ba4a6b4d238ff94"
	    "4bacb478cbed5efcae784d7bf4f2ff80",
	    "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266",
	    siwe_js_1, sizeof(siwe_js_1) - 1,
	    "e4d4cb63de9fff21d29a8528aaff1918"
	    "c04ba27edab8e0b901bb51b9e5e5e1d7",
	    "0xc0d87c3d46f94789287953c06d17e1cd"
	    "061f467ce8510908e24cf398d458b1c4"
	    "3f419815e4fb96995d2dc3c452e3b07f"
	    "84f979c39d1276ddb52ac5ac37954278"
	    "1c",
	},
	{
	    "ac0974bec39a17e36ba4a6b4d238ff94"
	    "4bacb478cbed5efcae784d7bf4f2ff80",
	    "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266",
	    siwe_js_2, sizeof(siwe_js_2) - 1,
	    "7c8d572272bd8be2d44e336f86ae7129"
	    "fac82217e78f16c566ef8b6aa2b9a24d",
	    "0x4f348d141029205c8c57535bd1b783fc"
	    "ed61f3b66aa66b34c846176d27e01749"
	    "2410dfeab352d0c4f271b046a7d8d1bb"
	    "72a8776b7b5ba8ef57fefe2213fe1d6d"
	    "1c",
	},
	{
	    "ac0974bec39a17e36ba4a6b4d238ff94"
	    "4bacb478cbed5efcae784d7bf4f2ff80",
	    "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266",
	    siwe_js_3, sizeof(siwe_js_3) - 1,
	    "7a914df2f745467a88af9697ba7cb240"
	    "6d06432d8557a00a736c642386ef5cb9",
	    "0x6392b39417fad64001834c9b1f6aa87c"
	    "613affed5789e8c9fb7586978cb34129"
	    "17ad13c3daffebb09581f205d92dfd20"
	    "3dab10e72c2b6b6d631b81eece0cb4dc"
	    "1c",
	},
	{
	    "ac0974bec39a17e36ba4a6b4d238ff94"
	    "4bacb478cbed5efcae784d7bf4f2ff80",
	    "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266",
	    "\000\001\002\003\004\005\006\007\010\011\n"
	    "\013\014\015\016\017\020\021\022\023\024\025\026\027\030"
	    "\031\032\033\034\035\036\037", 32,
	    "04c3a0e6f47dd8889a200887da01ab4f"
	    "a88d85f15fb01537cd4b7bcc1ef6f991",
	    "0xc9707084087268bfd72c6593bedb608f"
	    "cface1db084f932d5264903332749fb8"
	    "0dc91cdb3fb8452ba7137f430e852f7b"
	    "33d8e9e76bb24863253ae98f466eefa8"
	    "1b",
	},
	{
	    "4c0883a69102937d6231471b5dbb6204"
	    "fe5129617082792ae468d01a3f362318",
	    "0x2c7536E3605D9C16a7a3D7b1898e529396a65c23",
	    "hello world", 11,
	    "d9eba16ed0ecae432b71fe008c98cc87"
	    "2bb4cc214d3220a36f365326cf807d68",
	    "0x0d5df3f9681b000a5b3a1d4252803318"
	    "136714deba10c578f9b33718ad9c816e"
	    "5520a6f19168136aa11e38d691d28a42"
	    "2bce4be3bf290fdb8efe45cdaefb2025"
	    "1c",
	},
	{
	    "4c0883a69102937d6231471b5dbb6204"
	    "fe5129617082792ae468d01a3f362318",
	    "0x2c7536E3605D9C16a7a3D7b1898e529396a65c23",
	    "", 0,
	    "5f35dce98ba4fba25530a026ed80b2ce"
	    "cdaa31091ba4958b99b52ea1d068adad",
	    "0x8a68b4e66cd2b575338e16069d7b65f6"
	    "f67c7ceae8945dccf8cb7bdb06278d93"
	    "3dd9c888f3444ca4698464079a067ad3"
	    "cfffe96d493b8ecf56885169d0fdfe7d"
	    "1b",
	},
	{
	    "4c0883a69102937d6231471b5dbb6204"
	    "fe5129617082792ae468d01a3f362318",
	    "0x2c7536E3605D9C16a7a3D7b1898e529396a65c23",
	    "line one\n"
	    "line two\n"
	    "\n"
	    "line four\n", 29,
	    "b0b4f10ba8e78c20d721992b767649a7"
	    "246247bfd9b64e723fdff81848ec8799",
	    "0xf5d9ee987cce8a326567d7b6b6dff449"
	    "4758291b8097427c15fbebc84ebd6dca"
	    "61156c00416656b692d65541118dbb8d"
	    "172bc395e441655ac34e3981b24957bd"
	    "1c",
	},
	{
	    "4c0883a69102937d6231471b5dbb6204"
	    "fe5129617082792ae468d01a3f362318",
	    "0x2c7536E3605D9C16a7a3D7b1898e529396a65c23",
	    "h\303\251llo \342\234\223", 10,
	    "a92524dcf72de9f2771f170e519c7fcc"
	    "3305b814c130bfe3cf288b3d4b8d5906",
	    "0xf6af7df4424f96c1e866018ad16f64ca"
	    "e105d0675377c3fb14acca14c89e87ab"
	    "3073a4b410f6dcee4870b4eff27aa786"
	    "82cfeca3e8f205bd13a22304ee7d9dd6"
	    "1b",
	},
	{
	    "4c0883a69102937d6231471b5dbb6204"
	    "fe5129617082792ae468d01a3f362318",
	    "0x2c7536E3605D9C16a7a3D7b1898e529396a65c23",
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	    "xxxxxxxxxxxxxxxxxxxx", 300,
	    "ef5034cceedafbb2fbdcf11074a6654a"
	    "b170406a79b828e13106e9e85edead58",
	    "0xad754486091e6e028d2e8f448eb4189f"
	    "410d55f569e483341a40570827f37238"
	    "7f07d1ebbb5b383acdf2c7df2990ddc9"
	    "d8a97c1ec4f9316dec25198a0b39096c"
	    "1b",
	},
	{
	    "4c0883a69102937d6231471b5dbb6204"
	    "fe5129617082792ae468d01a3f362318",
	    "0x2c7536E3605D9C16a7a3D7b1898e529396a65c23",
	    siwe_js_1, sizeof(siwe_js_1) - 1,
	    "e4d4cb63de9fff21d29a8528aaff1918"
	    "c04ba27edab8e0b901bb51b9e5e5e1d7",
	    "0x2ce073469b9a032548d49bf656acfb4b"
	    "1318b17077f63ba43cf9b6eaff373b6e"
	    "572dfe74eda17bef33bb42ebf527c774"
	    "a26b7efaf038dd714d39be15f3848f02"
	    "1b",
	},
	{
	    "4c0883a69102937d6231471b5dbb6204"
	    "fe5129617082792ae468d01a3f362318",
	    "0x2c7536E3605D9C16a7a3D7b1898e529396a65c23",
	    siwe_js_2, sizeof(siwe_js_2) - 1,
	    "7c8d572272bd8be2d44e336f86ae7129"
	    "fac82217e78f16c566ef8b6aa2b9a24d",
	    "0x7d2a93008c5b105aa56e6ff122fadbe7"
	    "4185ccbd39ba70858196247d582c3ac0"
	    "090bba61996df416645eb9774bd2c598"
	    "2b5c674bf73e38bf847e09d8874ed320"
	    "1c",
	},
	{
	    "4c0883a69102937d6231471b5dbb6204"
	    "fe5129617082792ae468d01a3f362318",
	    "0x2c7536E3605D9C16a7a3D7b1898e529396a65c23",
	    siwe_js_3, sizeof(siwe_js_3) - 1,
	    "7a914df2f745467a88af9697ba7cb240"
	    "6d06432d8557a00a736c642386ef5cb9",
	    "0x0a0ef16c63ce1d1222132b53c05d1733"
	    "419b97199a80a9f2814b6b6d682077be"
	    "6a4517a8a23c29d8f6499ded01b829a5"
	    "9c1b3a5e719deab3a57538848a50bbf0"
	    "1b",
	},
	{
	    "4c0883a69102937d6231471b5dbb6204"
	    "fe5129617082792ae468d01a3f362318",
	    "0x2c7536E3605D9C16a7a3D7b1898e529396a65c23",
	    "\000\001\002\003\004\005\006\007\010\011\n"
	    "\013\014\015\016\017\020\021\022\023\024\025\026\027\030"
	    "\031\032\033\034\035\036\037", 32,
	    "04c3a0e6f47dd8889a200887da01ab4f"
	    "a88d85f15fb01537cd4b7bcc1ef6f991",
	    "0xcf256001a44bf46d2be38c465b7b72a4"
	    "74eceac44132738e241313bbaffa0be1"
	    "3fd03c902c2665723601e7a3073b4f5b"
	    "76d5b1efd1e7ed5954f2da1f71c1f0ef"
	    "1c",
	},
	{
	    "00000000000000000000000000000000"
	    "00000000000000000000000000000001",
	    "0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf",
	    "hello world", 11,
	    "d9eba16ed0ecae432b71fe008c98cc87"
	    "2bb4cc214d3220a36f365326cf807d68",
	    "0xb2f2fc7c6a8cba85f3467fbd736a2666"
	    "1b81912ce0734edc6dbdc5fa08f1fc93"
	    "4b5844407e3c35ed0f2735b4ccb5660b"
	    "3452f3738be82fa4ace9873220c43e15"
	    "1c",
	},
	{
	    "00000000000000000000000000000000"
	    "00000000000000000000000000000001",
	    "0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf",
	    "", 0,
	    "5f35dce98ba4fba25530a026ed80b2ce"
	    "cdaa31091ba4958b99b52ea1d068adad",
	    "0x0ac02a3eb3039b7a3ebb6a35f1e0dd31"
	    "a4ed51781205a2c193354752a25edad5"
	    "0593868baf38c519b78bdc61a23c3f55"
	    "e058c29f8b83d79ae48cc47d931afaed"
	    "1b",
	},
	{
	    "00000000000000000000000000000000"
	    "00000000000000000000000000000001",
	    "0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf",
	    "line one\n"
	    "line two\n"
	    "\n"
	    "line four\n", 29,
	    "b0b4f10ba8e78c20d721992b767649a7"
	    "246247bfd9b64e723fdff81848ec8799",
	    "0x7a836c79501e4f20b8c200a3d4f6b4a9"
	    "0b26796c90900c56cb3cbfef4b66a4df"
	    "060e4c025ce5b86d2d26a13733e0d756"
	    "60c4445f6710bcc5bd78e33692463de8"
	    "1b",
	},
	{
	    "00000000000000000000000000000000"
	    "00000000000000000000000000000001",
	    "0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf",
	    "h\303\251llo \342\234\223", 10,
	    "a92524dcf72de9f2771f170e519c7fcc"
	    "3305b814c130bfe3cf288b3d4b8d5906",
	    "0x37304f4cb8f88dc318261338f640e46f"
	    "526496b94d4ae268510d267a2ce73080"
	    "39af0c0495724226819c080cc742d308"
	    "303877ce51de996179f8cce6b7881d89"
	    "1b",
	},
	{
	    "00000000000000000000000000000000"
	    "00000000000000000000000000000001",
	    "0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf",
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	    "xxxxxxxxxxxxxxxxxxxx", 300,
	    "ef5034cceedafbb2fbdcf11074a6654a"
	    "b170406a79b828e13106e9e85edead58",
	    "0x4e639c70d0f990abe5ce0f4cc35d3744"
	    "e9f9447032de9e483043ae09b985c6b5"
	    "16dfb65269b94210fe4b2de14c171c6b"
	    "70b67fc30a8a59d9f835ef1a483f140b"
	    "1c",
	},
	{
	    "00000000000000000000000000000000"
	    "00000000000000000000000000000001",
	    "0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf",
	    siwe_js_1, sizeof(siwe_js_1) - 1,
	    "e4d4cb63de9fff21d29a8528aaff1918"
	    "c04ba27edab8e0b901bb51b9e5e5e1d7",
	    "0x51831f3613e5c0bfa77209de1c1c7dc7"
	    "6e8ab786e3f4ecafd4b5a7491c317a6f"
	    "4f647c8d119b753c2b62d1fc0edbf788"
	    "8dcee8ff624e8151cd311eafa23b3e45"
	    "1c",
	},
	{
	    "00000000000000000000000000000000"
	    "00000000000000000000000000000001",
	    "0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf",
	    siwe_js_2, sizeof(siwe_js_2) - 1,
	    "7c8d572272bd8be2d44e336f86ae7129"
	    "fac82217e78f16c566ef8b6aa2b9a24d",
	    "0xffbfc04a5d74f886fd0fa2d2628579ef"
	    "d09262a9d2afb4644dc21d792c67b6ab"
	    "0bce2b3071280722e9f53762d51edd67"
	    "b7d18ab4866fc58b7a35017fe6e7e311"
	    "1b",
	},
	{
	    "00000000000000000000000000000000"
	    "00000000000000000000000000000001",
	    "0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf",
	    siwe_js_3, sizeof(siwe_js_3) - 1,
	    "7a914df2f745467a88af9697ba7cb240"
	    "6d06432d8557a00a736c642386ef5cb9",
	    "0x1ff1abcfd80e04225324b616b4a13631"
	    "2c0528bd90dfa8611a6022bb0804ea90"
	    "52ad6b622cc7d82eb0d0e3ced5241dc5"
	    "22927a7e5ba6a838b95d27fe0cba7eea"
	    "1b",
	},
	{
	    "00000000000000000000000000000000"
	    "00000000000000000000000000000001",
	    "0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf",
	    "\000\001\002\003\004\005\006\007\010\011\n"
	    "\013\014\015\016\017\020\021\022\023\024\025\026\027\030"
	    "\031\032\033\034\035\036\037", 32,
	    "04c3a0e6f47dd8889a200887da01ab4f"
	    "a88d85f15fb01537cd4b7bcc1ef6f991",
	    "0xbe52717f136b4731e0322e2d68f60517"
	    "b67fbaae4da11484c8ebc12f2223d1be"
	    "3cfc7f1d462151bc487d268b6822ac66"
	    "d23a6d6273b5423ec3203d2b282a6ce2"
	    "1b",
	},
};

#define NVECS (sizeof(sig_vecs) / sizeof(sig_vecs[0]))

/* The EIP-55 test vectors from the EIP-55 specification. */
static const char *eip55_vecs[] = {
	"0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
	"0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
	"0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
	"0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
};

/* The secp256k1 group order n, big-endian. */
static const uint8_t curve_n[32] = {
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	0xff, 0xff, 0xff, 0xff, 0xfe, 0xba, 0xae, 0xdc, 0xe6, 0xaf, 0x48,
	0xa0, 0x3b, 0xbf, 0xd2, 0x5e, 0x8c, 0xd0, 0x36, 0x41, 0x41
};

static void
load_sig(const struct sig_vec *v, uint8_t sig[65])
{
	assert_int_equal(cm_eth_sig_parse(v->sig, strlen(v->sig), sig), CM_OK);
}

static void
load_key(const struct sig_vec *v, uint8_t key[32])
{
	assert_int_equal(cm_hex_decode(v->key, 64, key, 32), CM_OK);
}

static void
assert_addr(const cm_eth_addr *a, const char *want)
{
	char s[43];

	cm_eth_addr_checksum(a, s);
	assert_string_equal(s, want);
}

/* out = n - in (in < n), big-endian. */
static void
n_minus(const uint8_t in[32], uint8_t out[32])
{
	int borrow = 0;

	for (int i = 31; i >= 0; i--) {
		int d = curve_n[i] - in[i] - borrow;
		borrow = d < 0;
		out[i] = (uint8_t) (d + (borrow ? 256 : 0));
	}
}

static void
test_eip55(void **state)
{
	cm_eth_addr a;
	char s[43], low[43], up[43];

	(void) state;
	for (size_t i = 0; i < 4; i++) {
		const char *v = eip55_vecs[i];
		assert_int_equal(cm_eth_addr_parse(v, 42, &a), CM_OK);
		cm_eth_addr_checksum(&a, s);
		assert_string_equal(s, v);
		// All-lower and all-upper forms carry no checksum.
		cm_eth_addr_lower(&a, low);
		for (size_t j = 0; j < 43; j++) {
			char c = v[j];
			if (j >= 2 && c >= 'A' && c <= 'F') {
				c = (char) (c - 'A' + 'a');
			}
			assert_int_equal(low[j], c);
		}
		memcpy(up, low, sizeof(up));
		for (size_t j = 2; j < 42; j++) {
			if (up[j] >= 'a' && up[j] <= 'f') {
				up[j] = (char) (up[j] - 'a' + 'A');
			}
		}
		memset(&a, 0, sizeof(a));
		assert_int_equal(cm_eth_addr_parse(low, 42, &a), CM_OK);
		cm_eth_addr_checksum(&a, s);
		assert_string_equal(s, v);
		memset(&a, 0, sizeof(a));
		assert_int_equal(cm_eth_addr_parse(up, 42, &a), CM_OK);
		cm_eth_addr_checksum(&a, s);
		assert_string_equal(s, v);
	}
}

static void
test_eip55_bad(void **state)
{
	cm_eth_addr a, keep;
	char s[43];

	(void) state;
	memset(&keep, 0x5a, sizeof(keep));
	a = keep;
	for (size_t i = 0; i < 4; i++) {
		// Flipping the case of any one letter breaks the checksum.
		for (size_t j = 2; j < 42; j++) {
			memcpy(s, eip55_vecs[i], 43);
			if (s[j] >= 'a' && s[j] <= 'f') {
				s[j] = (char) (s[j] - 'a' + 'A');
			} else if (s[j] >= 'A' && s[j] <= 'F') {
				s[j] = (char) (s[j] - 'A' + 'a');
			} else {
				continue;
			}
			assert_int_equal(cm_eth_addr_parse(s, 42, &a),
			    CM_EINVAL);
			assert_memory_equal(&a, &keep, sizeof(a));
		}
	}
	assert_int_equal(cm_eth_addr_parse(
	    "0X5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", 42, &a), CM_EINVAL);
	assert_int_equal(cm_eth_addr_parse(
	    "5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", 40, &a), CM_EINVAL);
	assert_int_equal(cm_eth_addr_parse(
	    "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAe", 41, &a), CM_EINVAL);
	assert_int_equal(cm_eth_addr_parse(
	    "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed0", 43, &a),
	    CM_EINVAL);
	assert_int_equal(cm_eth_addr_parse(
	    "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeg", 42, &a), CM_EINVAL);
	assert_int_equal(cm_eth_addr_parse(
	    "0x0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeA", 42, &a), CM_EINVAL);
	assert_int_equal(cm_eth_addr_parse("", 0, &a), CM_EINVAL);
	assert_memory_equal(&a, &keep, sizeof(a));
}

static void
test_personal_hash(void **state)
{
	uint8_t h[32];
	char hex[65];

	(void) state;
	for (size_t i = 0; i < NVECS; i++) {
		cm_eth_personal_hash(sig_vecs[i].msg, sig_vecs[i].msglen, h);
		cm_hex_encode(h, 32, hex);
		assert_string_equal(hex, sig_vecs[i].hash);
	}
}

static void
test_recover_ethers(void **state)
{
	uint8_t sig[65], h[32];
	cm_eth_addr a;

	(void) state;
	for (size_t i = 0; i < NVECS; i++) {
		const struct sig_vec *v = &sig_vecs[i];
		load_sig(v, sig);
		memset(&a, 0, sizeof(a));
		assert_int_equal(cm_eth_personal_recover(v->msg, v->msglen,
		    sig, &a), CM_OK);
		assert_addr(&a, v->addr);
		assert_int_equal(cm_hex_decode(v->hash, 64, h, 32), CM_OK);
		memset(&a, 0, sizeof(a));
		assert_int_equal(cm_eth_recover(h, sig, &a), CM_OK);
		assert_addr(&a, v->addr);
	}
}

static void
test_recover_v01(void **state)
{
	uint8_t sig[65];
	cm_eth_addr a;

	(void) state;
	for (size_t i = 0; i < NVECS; i++) {
		const struct sig_vec *v = &sig_vecs[i];
		load_sig(v, sig);
		sig[64] -= 27;
		assert_int_equal(cm_eth_personal_recover(v->msg, v->msglen,
		    sig, &a), CM_OK);
		assert_addr(&a, v->addr);
	}
}

static void
test_recover_bad_v(void **state)
{
	static const uint8_t bad_v[] = { 2, 3, 26, 29, 30, 35, 36, 37, 255 };
	uint8_t sig[65];
	cm_eth_addr a, keep;
	const struct sig_vec *v = &sig_vecs[0];

	(void) state;
	memset(&keep, 0x33, sizeof(keep));
	a = keep;
	load_sig(v, sig);
	for (size_t i = 0; i < sizeof(bad_v); i++) {
		sig[64] = bad_v[i];
		assert_int_equal(cm_eth_personal_recover(v->msg, v->msglen,
		    sig, &a), CM_EINVAL);
	}
	assert_memory_equal(&a, &keep, sizeof(a));
}

/*
 * s' = n - s with v flipped is the other valid ECDSA encoding of the same
 * signature (it recovers the same key); EIP-2 forbids it, and so do we.
 */
static void
test_recover_high_s(void **state)
{
	uint8_t sig[65];
	cm_eth_addr a, keep;

	(void) state;
	memset(&keep, 0x44, sizeof(keep));
	a = keep;
	for (size_t i = 0; i < NVECS; i++) {
		const struct sig_vec *v = &sig_vecs[i];
		load_sig(v, sig);
		n_minus(sig + 32, sig + 32);
		sig[64] = sig[64] == 27 ? 28 : 27;
		assert_int_equal(cm_eth_personal_recover(v->msg, v->msglen,
		    sig, &a), CM_EAUTH);
		sig[64] -= 27;
		assert_int_equal(cm_eth_personal_recover(v->msg, v->msglen,
		    sig, &a), CM_EAUTH);
	}
	assert_memory_equal(&a, &keep, sizeof(a));
}

static void
test_recover_range(void **state)
{
	uint8_t sig[65], h[32];
	cm_eth_addr a;
	const struct sig_vec *v = &sig_vecs[0];

	(void) state;
	assert_int_equal(cm_hex_decode(v->hash, 64, h, 32), CM_OK);
	load_sig(v, sig);
	memset(sig, 0, 32); // r = 0
	assert_int_equal(cm_eth_recover(h, sig, &a), CM_EINVAL);
	load_sig(v, sig);
	memset(sig + 32, 0, 32); // s = 0
	assert_int_equal(cm_eth_recover(h, sig, &a), CM_EINVAL);
	load_sig(v, sig);
	memcpy(sig, curve_n, 32); // r = n
	assert_int_equal(cm_eth_recover(h, sig, &a), CM_EINVAL);
	load_sig(v, sig);
	memset(sig, 0xff, 32); // r > n
	assert_int_equal(cm_eth_recover(h, sig, &a), CM_EINVAL);
	load_sig(v, sig);
	memcpy(sig + 32, curve_n, 32); // s = n
	assert_int_equal(cm_eth_recover(h, sig, &a), CM_EINVAL);
	load_sig(v, sig);
	memset(sig + 32, 0xff, 32); // s > n
	assert_int_equal(cm_eth_recover(h, sig, &a), CM_EINVAL);
	/*
	 * r = 5: 5^3 + 7 is not a square mod p, so no curve point has x = 5
	 * and nothing can be recovered.
	 */
	load_sig(v, sig);
	memset(sig, 0, 32);
	sig[31] = 5;
	assert_int_equal(cm_eth_recover(h, sig, &a), CM_EAUTH);
}

static void
test_recover_wrong_message(void **state)
{
	uint8_t sig[65];
	cm_eth_addr a;
	char s[43];

	(void) state;
	for (size_t i = 0; i < NVECS; i++) {
		const struct sig_vec *v = &sig_vecs[i];
		load_sig(v, sig);
		// "hello world!" instead of what was signed.
		if (cm_eth_personal_recover("hello world!", 12, sig, &a) ==
		    CM_OK) {
			cm_eth_addr_checksum(&a, s);
			assert_string_not_equal(s, v->addr);
		}
		if (v->msglen > 0 && cm_eth_personal_recover(v->msg,
		    v->msglen - 1, sig, &a) == CM_OK) {
			cm_eth_addr_checksum(&a, s);
			assert_string_not_equal(s, v->addr);
		}
	}
	// Tampering with r or s of a valid signature also changes the key.
	load_sig(&sig_vecs[0], sig);
	sig[40] ^= 1;
	assert_int_equal(cm_eth_personal_recover(sig_vecs[0].msg,
	    sig_vecs[0].msglen, sig, &a), CM_OK);
	cm_eth_addr_checksum(&a, s);
	assert_string_not_equal(s, sig_vecs[0].addr);
}

static void
test_sig_parse(void **state)
{
	const char *good = sig_vecs[0].sig;
	char buf[200];
	uint8_t sig[65], keep[65];

	(void) state;
	memset(keep, 0x11, sizeof(keep));
	memcpy(sig, keep, sizeof(sig));
	assert_int_equal(strlen(good), 132);
	// Truncated, overlong, missing prefix, bad digit.
	assert_int_equal(cm_eth_sig_parse(good, 131, sig), CM_EINVAL);
	assert_int_equal(cm_eth_sig_parse(good, 130, sig), CM_EINVAL);
	assert_int_equal(cm_eth_sig_parse(good, 2, sig), CM_EINVAL);
	memcpy(buf, good, 132);
	memcpy(buf + 132, "00", 2);
	assert_int_equal(cm_eth_sig_parse(buf, 134, sig), CM_EINVAL);
	assert_int_equal(cm_eth_sig_parse(buf, 133, sig), CM_EINVAL);
	assert_int_equal(cm_eth_sig_parse(good + 2, 130, sig), CM_EINVAL);
	memcpy(buf, good, 132);
	buf[1] = 'X';
	assert_int_equal(cm_eth_sig_parse(buf, 132, sig), CM_EINVAL);
	memcpy(buf, good, 132);
	buf[70] = 'g';
	assert_int_equal(cm_eth_sig_parse(buf, 132, sig), CM_EINVAL);
	assert_memory_equal(sig, keep, sizeof(sig));
	// Upper-case digits are fine.
	memcpy(buf, good, 132);
	for (size_t i = 2; i < 132; i++) {
		if (buf[i] >= 'a' && buf[i] <= 'f') {
			buf[i] = (char) (buf[i] - 'a' + 'A');
		}
	}
	assert_int_equal(cm_eth_sig_parse(buf, 132, sig), CM_OK);
	load_sig(&sig_vecs[0], keep);
	assert_memory_equal(sig, keep, sizeof(sig));
}

static void
test_privkey(void **state)
{
	uint8_t key[32];
	cm_eth_addr a, keep;

	(void) state;
	for (size_t i = 0; i < NVECS; i++) {
		load_key(&sig_vecs[i], key);
		assert_int_equal(cm_eth_addr_from_privkey(key, &a), CM_OK);
		assert_addr(&a, sig_vecs[i].addr);
	}
	memset(&keep, 0x22, sizeof(keep));
	a = keep;
	memset(key, 0, sizeof(key));
	assert_int_equal(cm_eth_addr_from_privkey(key, &a), CM_EINVAL);
	assert_int_equal(cm_eth_addr_from_privkey(curve_n, &a), CM_EINVAL);
	memset(key, 0xff, sizeof(key));
	assert_int_equal(cm_eth_addr_from_privkey(key, &a), CM_EINVAL);
	assert_memory_equal(&a, &keep, sizeof(a));
}

/* RFC 6979 is deterministic: our signatures equal ethers' byte for byte. */
static void
test_sign_matches_ethers(void **state)
{
	uint8_t key[32], sig[65], want[65];
	cm_eth_addr a;

	(void) state;
	for (size_t i = 0; i < NVECS; i++) {
		const struct sig_vec *v = &sig_vecs[i];
		load_key(v, key);
		load_sig(v, want);
		assert_int_equal(cm_eth_personal_sign(key, v->msg, v->msglen,
		    sig), CM_OK);
		assert_memory_equal(sig, want, 65);
		assert_int_equal(cm_eth_personal_recover(v->msg, v->msglen,
		    sig, &a), CM_OK);
		assert_addr(&a, v->addr);
	}
	memset(key, 0, sizeof(key));
	memset(sig, 0x66, sizeof(sig));
	memcpy(want, sig, sizeof(sig));
	assert_int_equal(cm_eth_personal_sign(key, "x", 1, sig), CM_EINVAL);
	assert_memory_equal(sig, want, sizeof(sig));
}

/* Round trips over many messages, with low s and v in {27, 28}. */
static void
test_sign_round_trip(void **state)
{
	uint8_t key[32], sig[65];
	uint8_t msg[300];
	cm_eth_addr a, want;
	int seen[2] = { 0, 0 };

	(void) state;
	for (size_t i = 0; i < sizeof(msg); i++) {
		msg[i] = (uint8_t) (i * 7);
	}
	load_key(&sig_vecs[NVECS - 1], key);
	assert_int_equal(cm_eth_addr_from_privkey(key, &want), CM_OK);
	for (size_t n = 0; n < sizeof(msg); n += 3) {
		assert_int_equal(cm_eth_personal_sign(key, msg, n, sig),
		    CM_OK);
		assert_true(sig[64] == 27 || sig[64] == 28);
		seen[sig[64] - 27] = 1;
		assert_true(sig[32] < 0x80); // s <= n/2 starts below 0x80
		assert_int_equal(cm_eth_personal_recover(msg, n, sig, &a),
		    CM_OK);
		assert_memory_equal(&a, &want, sizeof(a));
	}
	assert_true(seen[0] && seen[1]);
}

static void *
recover_thread(void *arg)
{
	int *ok = arg;
	uint8_t sig[65];
	cm_eth_addr a;
	char s[43];

	*ok = 1;
	for (int round = 0; round < 5; round++) {
		for (size_t i = 0; i < NVECS; i++) {
			const struct sig_vec *v = &sig_vecs[i];
			if (cm_eth_sig_parse(v->sig, strlen(v->sig), sig) !=
			    CM_OK || cm_eth_personal_recover(v->msg, v->msglen,
			    sig, &a) != CM_OK) {
				*ok = 0;
				continue;
			}
			cm_eth_addr_checksum(&a, s);
			if (strcmp(s, v->addr) != 0) {
				*ok = 0;
			}
		}
	}
	return (NULL);
}

/*
 * Concurrent recovery from several threads, the first use of the shared
 * context included (this test runs first).
 */
static void
test_threads(void **state)
{
	pthread_t th[8];
	int ok[8];

	(void) state;
	for (int i = 0; i < 8; i++) {
		assert_int_equal(pthread_create(&th[i], NULL, recover_thread,
		    &ok[i]), 0);
	}
	for (int i = 0; i < 8; i++) {
		assert_int_equal(pthread_join(th[i], NULL), 0);
		assert_true(ok[i]);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_threads),
		cmocka_unit_test(test_eip55),
		cmocka_unit_test(test_eip55_bad),
		cmocka_unit_test(test_personal_hash),
		cmocka_unit_test(test_recover_ethers),
		cmocka_unit_test(test_recover_v01),
		cmocka_unit_test(test_recover_bad_v),
		cmocka_unit_test(test_recover_high_s),
		cmocka_unit_test(test_recover_range),
		cmocka_unit_test(test_recover_wrong_message),
		cmocka_unit_test(test_sig_parse),
		cmocka_unit_test(test_privkey),
		cmocka_unit_test(test_sign_matches_ethers),
		cmocka_unit_test(test_sign_round_trip),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
