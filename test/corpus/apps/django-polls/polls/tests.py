from django.test import TestCase


class QuestionViewTests(TestCase):
    def test_detail(self):
        response = self.client.get("/polls/1/")
        self.assertEqual(response.status_code, 200)
