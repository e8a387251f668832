async function listTags(req, res) {
  res.json({ tags: ['dragons', 'training'] });
}

module.exports = { listTags };
