// SPDX-License-Identifier: Apache-2.0
// The bundled sample catalog: 20 products of our own, with the reference's fields (prices in
// integer minor units). Loaded by POST /loadProducts and `cartflow catalog load`.
#include "domain/sample_catalog.h"

namespace cartflow::domain {

namespace {
constexpr std::string_view kCatalog = R"json([
  {
    "productId": "21a223e5-3a34-5983-bbb0-4a50ba0da4c4",
    "name": "Green Apples",
    "category": "fruit",
    "description": "Crisp tart apples from an upland orchard, picked this week.",
    "price": 349,
    "package": {
      "height": 449,
      "length": 438,
      "weight": 1334,
      "width": 331
    },
    "pictures": [
      "https://images.cartflow.example/products/green-apples.jpg"
    ],
    "tags": [
      "local",
      "daily",
      "gift"
    ],
    "createdDate": "2023-07-05T09:00:00Z",
    "modifiedDate": "2024-01-20T16:00:00Z"
  },
  {
    "productId": "8f014e33-3903-5ce8-a548-d93c7209f9fe",
    "name": "Ripe Mangoes",
    "category": "fruit",
    "description": "Sweet mangoes, ready to eat within two days.",
    "price": 899,
    "package": {
      "height": 209,
      "length": 637,
      "weight": 1971,
      "width": 172
    },
    "pictures": [
      "https://images.cartflow.example/products/ripe-mangoes.jpg"
    ],
    "tags": [
      "fresh",
      "local",
      "daily"
    ],
    "createdDate": "2023-01-27T09:01:00Z",
    "modifiedDate": "2024-08-06T16:01:00Z"
  },
  {
    "productId": "cb182cf5-5aa2-5a0d-a1c3-5d10661c4115",
    "name": "Blueberry Punnet",
    "category": "fruit",
    "description": "A 250 g punnet of plump cultivated blueberries.",
    "price": 499,
    "package": {
      "height": 225,
      "length": 785,
      "weight": 993,
      "width": 755
    },
    "pictures": [
      "https://images.cartflow.example/products/blueberry-punnet.jpg"
    ],
    "tags": [
      "value",
      "crunchy",
      "healthy"
    ],
    "createdDate": "2023-03-06T09:02:00Z",
    "modifiedDate": "2024-06-04T16:02:00Z"
  },
  {
    "productId": "f38ffe7f-2abf-5d92-a921-b8376e3862c4",
    "name": "Navel Oranges",
    "category": "fruit",
    "description": "Seedless juicy oranges, a bag of six.",
    "price": 579,
    "package": {
      "height": 394,
      "length": 54,
      "weight": 1326,
      "width": 222
    },
    "pictures": [
      "https://images.cartflow.example/products/navel-oranges.jpg"
    ],
    "tags": [
      "daily",
      "premium",
      "crunchy"
    ],
    "createdDate": "2023-04-15T09:03:00Z",
    "modifiedDate": "2024-01-09T16:03:00Z"
  },
  {
    "productId": "4b4c44ea-910b-5e5e-80d2-7217ed0c2953",
    "name": "Dark Chocolate Bar",
    "category": "sweets",
    "description": "Seventy percent cocoa chocolate with a hint of sea salt.",
    "price": 299,
    "package": {
      "height": 378,
      "length": 805,
      "weight": 1277,
      "width": 855
    },
    "pictures": [
      "https://images.cartflow.example/products/dark-chocolate-bar.jpg"
    ],
    "tags": [
      "local",
      "premium",
      "value"
    ],
    "createdDate": "2023-06-20T09:04:00Z",
    "modifiedDate": "2024-07-13T16:04:00Z"
  },
  {
    "productId": "7e11b5c8-b39e-58e0-aebe-e3dd6f92a4b3",
    "name": "Honey Nougat",
    "category": "sweets",
    "description": "Soft almond nougat made with wildflower honey.",
    "price": 649,
    "package": {
      "height": 130,
      "length": 878,
      "weight": 1978,
      "width": 312
    },
    "pictures": [
      "https://images.cartflow.example/products/honey-nougat.jpg"
    ],
    "tags": [
      "local",
      "value",
      "artisan"
    ],
    "createdDate": "2023-09-16T09:05:00Z",
    "modifiedDate": "2024-05-15T16:05:00Z"
  },
  {
    "productId": "8fc291d6-4a87-5d71-9222-f390165cfaa3",
    "name": "Salted Caramels",
    "category": "sweets",
    "description": "A tin of chewy butter caramels, individually wrapped.",
    "price": 1199,
    "package": {
      "height": 153,
      "length": 794,
      "weight": 1567,
      "width": 896
    },
    "pictures": [
      "https://images.cartflow.example/products/salted-caramels.jpg"
    ],
    "tags": [
      "family",
      "crunchy",
      "gift"
    ],
    "createdDate": "2023-05-16T09:06:00Z",
    "modifiedDate": "2024-05-03T16:06:00Z"
  },
  {
    "productId": "207f1e5d-1b69-5da6-b71f-91a4d67293d9",
    "name": "Sourdough Loaf",
    "category": "bakery",
    "description": "Slow-fermented country loaf with a dark crust.",
    "price": 525,
    "package": {
      "height": 157,
      "length": 685,
      "weight": 1850,
      "width": 474
    },
    "pictures": [
      "https://images.cartflow.example/products/sourdough-loaf.jpg"
    ],
    "tags": [
      "daily",
      "healthy",
      "family"
    ],
    "createdDate": "2023-08-08T09:07:00Z",
    "modifiedDate": "2024-08-08T16:07:00Z"
  },
  {
    "productId": "d9c4ccc5-8620-53a3-85e8-638da051d1e4",
    "name": "Butter Croissants",
    "category": "bakery",
    "description": "Four laminated croissants, baked each morning.",
    "price": 720,
    "package": {
      "height": 781,
      "length": 271,
      "weight": 2185,
      "width": 441
    },
    "pictures": [
      "https://images.cartflow.example/products/butter-croissants.jpg"
    ],
    "tags": [
      "organic",
      "classic",
      "savory"
    ],
    "createdDate": "2023-04-28T09:08:00Z",
    "modifiedDate": "2024-04-12T16:08:00Z"
  },
  {
    "productId": "a286d745-9cf8-51dc-8d34-b49eb3c5d52b",
    "name": "Rye Crackers",
    "category": "bakery",
    "description": "Thin crisp crackers of whole rye and caraway.",
    "price": 389,
    "package": {
      "height": 483,
      "length": 58,
      "weight": 116,
      "width": 805
    },
    "pictures": [
      "https://images.cartflow.example/products/rye-crackers.jpg"
    ],
    "tags": [
      "daily",
      "family",
      "value"
    ],
    "createdDate": "2023-01-18T09:09:00Z",
    "modifiedDate": "2024-04-04T16:09:00Z"
  },
  {
    "productId": "c9c7a79b-27f5-5657-8dfa-c68ac8cd719c",
    "name": "Cold Brew Coffee",
    "category": "drinks",
    "description": "A litre of smooth cold brew concentrate.",
    "price": 1350,
    "package": {
      "height": 308,
      "length": 769,
      "weight": 1773,
      "width": 548
    },
    "pictures": [
      "https://images.cartflow.example/products/cold-brew-coffee.jpg"
    ],
    "tags": [
      "seasonal",
      "family",
      "premium"
    ],
    "createdDate": "2023-11-19T09:10:00Z",
    "modifiedDate": "2024-04-26T16:10:00Z"
  },
  {
    "productId": "e7dbc43e-8a28-5bc3-9b2d-954db98c19f9",
    "name": "Sparkling Water",
    "category": "drinks",
    "description": "Twelve cans of lightly carbonated spring water.",
    "price": 899,
    "package": {
      "height": 562,
      "length": 57,
      "weight": 2088,
      "width": 438
    },
    "pictures": [
      "https://images.cartflow.example/products/sparkling-water.jpg"
    ],
    "tags": [
      "crunchy",
      "organic",
      "gift"
    ],
    "createdDate": "2023-04-06T09:11:00Z",
    "modifiedDate": "2024-07-26T16:11:00Z"
  },
  {
    "productId": "273be30e-11b2-5713-a574-36cb869e2bf3",
    "name": "Jasmine Green Tea",
    "category": "drinks",
    "description": "Loose-leaf green tea scented with jasmine blossoms.",
    "price": 1075,
    "package": {
      "height": 724,
      "length": 353,
      "weight": 470,
      "width": 594
    },
    "pictures": [
      "https://images.cartflow.example/products/jasmine-green-tea.jpg"
    ],
    "tags": [
      "daily",
      "sweet",
      "local"
    ],
    "createdDate": "2023-10-08T09:12:00Z",
    "modifiedDate": "2024-08-12T16:12:00Z"
  },
  {
    "productId": "08ce63a7-6874-56eb-934f-75aa826288ef",
    "name": "Aged Cheddar",
    "category": "dairy",
    "description": "Eighteen-month farmhouse cheddar, 300 g wedge.",
    "price": 1425,
    "package": {
      "height": 577,
      "length": 526,
      "weight": 548,
      "width": 262
    },
    "pictures": [
      "https://images.cartflow.example/products/aged-cheddar.jpg"
    ],
    "tags": [
      "seasonal",
      "premium",
      "healthy"
    ],
    "createdDate": "2023-01-01T09:13:00Z",
    "modifiedDate": "2024-03-02T16:13:00Z"
  },
  {
    "productId": "dabbb668-a03d-5aa0-b701-5195e99c4751",
    "name": "Greek Yogurt",
    "category": "dairy",
    "description": "Thick strained yogurt, 500 g tub.",
    "price": 465,
    "package": {
      "height": 521,
      "length": 518,
      "weight": 85,
      "width": 343
    },
    "pictures": [
      "https://images.cartflow.example/products/greek-yogurt.jpg"
    ],
    "tags": [
      "classic",
      "seasonal",
      "sweet"
    ],
    "createdDate": "2023-03-11T09:14:00Z",
    "modifiedDate": "2024-02-07T16:14:00Z"
  },
  {
    "productId": "c59a8352-6d74-5efa-836e-c5db0a444bdd",
    "name": "Free Range Eggs",
    "category": "dairy",
    "description": "A dozen large brown eggs from free range hens.",
    "price": 615,
    "package": {
      "height": 740,
      "length": 752,
      "weight": 2388,
      "width": 186
    },
    "pictures": [
      "https://images.cartflow.example/products/free-range-eggs.jpg"
    ],
    "tags": [
      "local",
      "crunchy",
      "organic"
    ],
    "createdDate": "2023-06-04T09:15:00Z",
    "modifiedDate": "2024-11-06T16:15:00Z"
  },
  {
    "productId": "80b92ad9-1ad5-53fa-9b0d-b912cce1e6a9",
    "name": "Basmati Rice",
    "category": "pantry",
    "description": "Long grain aged basmati rice, 2 kg bag.",
    "price": 1290,
    "package": {
      "height": 893,
      "length": 153,
      "weight": 126,
      "width": 817
    },
    "pictures": [
      "https://images.cartflow.example/products/basmati-rice.jpg"
    ],
    "tags": [
      "gift",
      "healthy",
      "local"
    ],
    "createdDate": "2023-03-03T09:16:00Z",
    "modifiedDate": "2024-10-12T16:16:00Z"
  },
  {
    "productId": "339b6839-e145-5b5f-8102-8d48383b520a",
    "name": "Extra Virgin Olive Oil",
    "category": "pantry",
    "description": "Cold-pressed olive oil, 750 ml bottle.",
    "price": 1875,
    "package": {
      "height": 618,
      "length": 224,
      "weight": 803,
      "width": 601
    },
    "pictures": [
      "https://images.cartflow.example/products/extra-virgin-olive-oil.jpg"
    ],
    "tags": [
      "value",
      "gift",
      "family"
    ],
    "createdDate": "2023-05-14T09:17:00Z",
    "modifiedDate": "2024-04-23T16:17:00Z"
  },
  {
    "productId": "f294f810-946d-5282-bcba-d1ce1323a07b",
    "name": "Roasted Almonds",
    "category": "snacks",
    "description": "Dry-roasted almonds lightly salted, 400 g.",
    "price": 995,
    "package": {
      "height": 163,
      "length": 883,
      "weight": 1005,
      "width": 319
    },
    "pictures": [
      "https://images.cartflow.example/products/roasted-almonds.jpg"
    ],
    "tags": [
      "daily",
      "family",
      "sweet"
    ],
    "createdDate": "2023-03-28T09:18:00Z",
    "modifiedDate": "2024-08-04T16:18:00Z"
  },
  {
    "productId": "0819899f-adb6-54b6-bbfc-dfcad3bc610a",
    "name": "Popcorn Kernels",
    "category": "snacks",
    "description": "Butterfly popcorn kernels for the stove, 1 kg.",
    "price": 425,
    "package": {
      "height": 675,
      "length": 485,
      "weight": 773,
      "width": 820
    },
    "pictures": [
      "https://images.cartflow.example/products/popcorn-kernels.jpg"
    ],
    "tags": [
      "savory",
      "artisan",
      "classic"
    ],
    "createdDate": "2023-01-25T09:19:00Z",
    "modifiedDate": "2024-05-13T16:19:00Z"
  }
])json";
}  // namespace

std::string_view sample_catalog_json() { return kCatalog; }

}  // namespace cartflow::domain
