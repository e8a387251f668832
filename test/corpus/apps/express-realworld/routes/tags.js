const express = require('express');
const { listTags } = require('../controllers/tags');

const router = express.Router();
router.get('/', listTags);

module.exports = router;
